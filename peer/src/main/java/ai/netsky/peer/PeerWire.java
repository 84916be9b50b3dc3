package ai.netsky.peer;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeRules;
import io.nats.client.impl.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One envelope on the wire between hosts: the envelope JSON as the message body, plus headers naming
 * the sender's public key, the time it was sealed and an Ed25519 signature. The signature covers a
 * domain tag, the message id, both hosts' keys, the time and the body, so a message cannot be
 * re-addressed to another host, given another id, or altered without the receiver noticing.
 */
public final class PeerWire {
    private PeerWire() {}

    /** Same cap as netsky's iroh path (spec io.md §6.6). */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
    public static final String H_FROM_KEY = "Netsky-Peer-Key";
    public static final String H_SIG = "Netsky-Peer-Sig";
    public static final String H_SENT_AT = "Netsky-Sent-At";
    /** Set by JetStream publish options; the broker drops a second publish with the same id. */
    public static final String H_MSG_ID = "Nats-Msg-Id";
    /** Older signatures are refused: past this the receipt journal may have forgotten the id. */
    public static final Duration MAX_AGE = Duration.ofDays(30);
    static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

    private static final String DOMAIN = "netsky-peer/1";
    private static final Pattern MSG_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    /** A sealed message ready to publish. */
    public record Outgoing(String subject, String msgId, Headers headers, byte[] payload) {}

    public static Outgoing seal(PeerIdentity me, String destKey, String subject, String msgId, byte[] payload, Instant sentAt) {
        if (!MSG_ID.matcher(msgId).matches()) throw new IllegalArgumentException("bad message id " + msgId);
        long at = sentAt.toEpochMilli();
        byte[] sig = me.sign(signingInput(msgId, me.publicKey(), destKey, at, payload));
        Headers h = new Headers();
        h.put(H_FROM_KEY, me.publicKey());
        h.put(H_SENT_AT, Long.toString(at));
        h.put(H_SIG, Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
        return new Outgoing(subject, msgId, h, payload);
    }

    static byte[] signingInput(String msgId, String fromKey, String toKey, long sentAtMillis, byte[] payload) {
        var b = new ByteArrayOutputStream(payload.length + 256);
        b.writeBytes((DOMAIN + "\n" + msgId + "\n" + fromKey + "\n" + toKey + "\n" + sentAtMillis + "\n").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(payload);
        return b.toByteArray();
    }

    /** What the receiver decided about one message. */
    public sealed interface Verdict permits Accepted, Refused {}

    /** Verified: {@code envelope} already has {@code from = <agent>@<label>} and {@code to = <local agent>}. */
    public record Accepted(Envelope envelope, AgentId to, String label, String fromKey, String msgId, long sentAtMillis) implements Verdict {
        /**
         * The inbox file name, a pure function of the message: {@code {nanos}-{pid}-{rand_hex}-{seq}-from-{from}.json}
         * with nanos = the sealing time, pid 0 (a remote writer) and rand_hex/seq from SHA-256(sender key, id).
         * Every redelivery maps to the same name, so the create-new link in the envelope writer admits it once.
         */
        public String inboxName() {
            byte[] h;
            try {
                h = java.security.MessageDigest.getInstance("SHA-256").digest((fromKey + "/" + msgId).getBytes(StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            long seq = ((h[4] & 0xffL) << 24 | (h[5] & 0xffL) << 16 | (h[6] & 0xffL) << 8 | (h[7] & 0xffL)) % 10_000_000_000L;
            return String.format("%020d-%010d-%s-%010d-from-%s.json", sentAtMillis * 1_000_000L, 0,
                    java.util.HexFormat.of().formatHex(h, 0, 4), seq, envelope.from());
        }
    }

    public record Refused(String reason, String fromKey) implements Verdict {}

    /**
     * Checks one received message before anything is written: size, headers, allowlist, signature,
     * freshness, then the envelope itself. Every refusal names its reason.
     */
    public static Verdict open(String ownKey, PeerAllowlist allowlist, Headers h, byte[] payload, Instant now) {
        if (payload == null) payload = new byte[0];
        String fromKey = h == null ? null : h.getFirst(H_FROM_KEY);
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return new Refused("oversize: " + payload.length + " bytes, over the " + MAX_PAYLOAD_BYTES + "-byte cap", fromKey);
        }
        if (h == null || fromKey == null) return new Refused("unsigned: no " + H_FROM_KEY + " header", null);
        String msgId = h.getFirst(H_MSG_ID);
        if (msgId == null || !MSG_ID.matcher(msgId).matches()) return new Refused("missing or malformed " + H_MSG_ID + " header", fromKey);
        var peer = allowlist.byKey(fromKey);
        if (peer.isEmpty()) return new Refused("unknown peer: key " + printable(fromKey) + " is not in " + allowlist.file(), fromKey);
        String label = peer.get().label();
        String sigText = h.getFirst(H_SIG);
        String atText = h.getFirst(H_SENT_AT);
        byte[] sig;
        long at;
        try {
            sig = Base64.getUrlDecoder().decode(sigText == null ? "" : sigText);
            at = Long.parseLong(atText == null ? "" : atText);
        } catch (IllegalArgumentException bad) {
            return new Refused("forged or corrupt: malformed signature headers claiming peer '" + label + "'", fromKey);
        }
        if (!PeerIdentity.verify(fromKey, signingInput(msgId, fromKey, ownKey, at, payload), sig)) {
            return new Refused("forged: signature does not verify against peer '" + label + "' (" + fromKey + ")", fromKey);
        }
        Instant sent = Instant.ofEpochMilli(at);
        if (sent.isBefore(now.minus(MAX_AGE)) || sent.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return new Refused("stale: sealed at " + sent + ", outside the accepted window (replay?) from peer '" + label + "'", fromKey);
        }
        Envelope env;
        try {
            env = EnvelopeCodec.parse(payload);
        } catch (EnvelopeCodec.MalformedEnvelopeException bad) {
            return new Refused("malformed envelope from peer '" + label + "': " + bad.getMessage(), fromKey);
        }
        if (!AgentId.isValid(env.from())) {
            return new Refused("peer '" + label + "' sent from '" + printable(env.from()) + "', not a plain agent id", fromKey);
        }
        String to = env.to() == null ? "" : env.to();
        int at2 = to.indexOf('@');
        String agent = at2 < 0 ? to : to.substring(0, at2);
        if (!AgentId.isValid(agent)) {
            return new Refused("peer '" + label + "' addressed '" + printable(to) + "', which names no local agent", fromKey);
        }
        // The sender cannot claim another identity: from is the verified label, whatever it wrote.
        Envelope rewritten = env.withFrom(env.from() + "@" + label).withTo(agent);
        try {
            EnvelopeRules.validate(rewritten);
        } catch (EnvelopeRules.InvalidEnvelopeException bad) {
            return new Refused("invalid envelope from peer '" + label + "': " + bad.getMessage(), fromKey);
        }
        return new Accepted(rewritten, AgentId.of(agent), label, fromKey, msgId, at);
    }

    static String printable(String s) {
        if (s == null) return "null";
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
