package ai.netsky.io.access;

/** A tool call refused by an allowlist (fail closed, or a chat/sender/recipient not on the list). */
public final class AccessDenied extends RuntimeException {
    public AccessDenied(String message) {
        super(message);
    }
}
