package ai.netsky.watchdog;

/** The body of a status-tick request envelope (netsky's prompts/tick-request.md). */
public final class TickRequest {
    private TickRequest() {}

    public static String text() {
        return "Status tick from the watchdog. Reply to the owner with a short status: what you are working on, "
                + "what is blocked, what you need from them. If nothing changed since the last tick, say so in one line.";
    }
}
