package ai.netsky.io.access;

/**
 * The outcome of reading an allowlist. Anything but a non-empty, well-formed, private file is
 * {@link Closed}: every tool of the source then refuses, naming the file and the fix, while the
 * server keeps running so the owner can repair the list without restarting the agent.
 */
public sealed interface AccessState {
    record Open(AccessList list) implements AccessState {}

    record Closed(String reason) implements AccessState {}

    /** The list, or an {@link AccessDenied} carrying the fail-closed reason. */
    default AccessList require() {
        return switch (this) {
            case Open o -> o.list();
            case Closed c -> throw new AccessDenied(c.reason());
        };
    }
}
