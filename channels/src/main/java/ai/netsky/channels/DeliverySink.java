package ai.netsky.channels;

import ai.netsky.core.Envelope;

/** Where {@link InboxDelivery} hands each envelope: an MCP push, a paste into the agent's pane, or a test fake. */
public interface DeliverySink {
    /**
     * Delivers one envelope and returns only when it arrived. Throws {@link NotDelivered} when it could not
     * be delivered now (the envelope stays in the inbox and is retried on the next pass).
     */
    void deliver(Envelope envelope) throws NotDelivered;

    /** A short name for logs: {@code channel}, {@code nudge}. */
    String name();

    /** Delivery did not happen; {@code fatal} means the consumer is gone for good (stop the loop). */
    final class NotDelivered extends Exception {
        private final boolean fatal;

        public NotDelivered(String reason, boolean fatal) {
            super(reason);
            this.fatal = fatal;
        }

        public boolean fatal() { return fatal; }
    }
}
