package ai.netsky.watchdog;

/** Where the tick reports what it saw and did (the event store in production; a list in tests). */
public interface WatchdogEvents {
    /** {@code watchdog_events (name, agent, severity, status, detail)}. */
    void event(String name, String agent, String severity, String status, String detail);

    /** {@code crashes (kind, agent, detail)}. */
    default void crash(String kind, String agent, String detail) {
        event("crash", agent, "error", kind, detail);
    }

    /** {@code ticks (source, detail)}. */
    default void tick(String source, String detailJson) {}

    WatchdogEvents NONE = (name, agent, severity, status, detail) -> {};
}
