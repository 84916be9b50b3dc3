package ai.netsky.io.imessage;

/** Sends one iMessage into an existing chat. The osascript implementation is the only real one. */
public interface MessageSender {
    void send(String text, String chatGuid);

    /** Null when sending works here; otherwise why not (e.g. not macOS), for the server's start-up note. */
    default String unavailableReason() { return null; }
}
