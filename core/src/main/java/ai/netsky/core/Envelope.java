package ai.netsky.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Envelope v1: one message on the file-system bus (spec io.md §2.2). All 11 keys are written, in
 * this order, with {@code null} for absent options; the older {from, text, ts} shape still reads.
 */
@JsonPropertyOrder({"id", "from", "to", "kind", "in_reply_to", "thread", "swarm", "idempotency_key", "requires_ack", "text", "ts"})
public record Envelope(
        String id,
        String from,
        String to,
        String kind,
        @JsonProperty("in_reply_to") String inReplyTo,
        String thread,
        String swarm,
        @JsonProperty("idempotency_key") String idempotencyKey,
        @JsonProperty("requires_ack") Boolean requiresAck,
        String text,
        String ts) {

    public static Envelope of(String from, String text, String ts) {
        return new Envelope(null, from, null, null, null, null, null, null, null, text, ts);
    }

    public static Envelope now(String from, String text) {
        return of(from, text, Timestamps.rfc3339Now());
    }

    public Envelope withId(String v) { return new Envelope(v, from, to, kind, inReplyTo, thread, swarm, idempotencyKey, requiresAck, text, ts); }
    public Envelope withFrom(String v) { return new Envelope(id, v, to, kind, inReplyTo, thread, swarm, idempotencyKey, requiresAck, text, ts); }
    public Envelope withTo(String v) { return new Envelope(id, from, v, kind, inReplyTo, thread, swarm, idempotencyKey, requiresAck, text, ts); }
    public Envelope withKind(String v) { return new Envelope(id, from, to, v, inReplyTo, thread, swarm, idempotencyKey, requiresAck, text, ts); }
    public Envelope withInReplyTo(String v) { return new Envelope(id, from, to, kind, v, thread, swarm, idempotencyKey, requiresAck, text, ts); }
    public Envelope withThread(String v) { return new Envelope(id, from, to, kind, inReplyTo, v, swarm, idempotencyKey, requiresAck, text, ts); }
    public Envelope withSwarm(String v) { return new Envelope(id, from, to, kind, inReplyTo, thread, v, idempotencyKey, requiresAck, text, ts); }
    public Envelope withIdempotencyKey(String v) { return new Envelope(id, from, to, kind, inReplyTo, thread, swarm, v, requiresAck, text, ts); }
    public Envelope withRequiresAck(Boolean v) { return new Envelope(id, from, to, kind, inReplyTo, thread, swarm, idempotencyKey, v, text, ts); }

    /** netsky's {@code kind_or_text}: the kind when set, else the text. */
    public String kindOrText() {
        return kind != null ? kind : text;
    }

    /** The key a consumer deduplicates on: {@code idempotency_key}, else {@code id}, else none. */
    public String dedupKey() {
        if (idempotencyKey != null && !idempotencyKey.isEmpty()) return "k:" + idempotencyKey;
        if (id != null && !id.isEmpty()) return "i:" + id;
        return null;
    }

    /** A reply to this envelope: thread and swarm carried over, {@code in_reply_to} = this id. */
    public Envelope replyFrom(String replier, String replyText) {
        return new Envelope(null, replier, from, "reply", id, thread, swarm, null, null, replyText, Timestamps.rfc3339Now());
    }
}
