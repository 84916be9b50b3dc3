package ai.netsky.peer;

import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeRules;
import ai.netsky.core.NetskyException;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The send path: resolve the peer label, seal, publish to the destination host's subject with a message id. */
public final class PeerPublisher {
    private final PeerIdentity me;
    private final PeerSettings settings;

    public PeerPublisher(PeerIdentity me, PeerSettings settings) {
        this.me = me;
        this.settings = settings;
    }

    /** A refusal on the sending side (unknown label, oversize, bad address): retrying cannot help. */
    public static final class Undeliverable extends NetskyException {
        public Undeliverable(String message) {
            super(message);
        }
    }

    /**
     * Seals {@code env} (whose {@code to} is {@code <agent>@<label>}) for the peer with that label.
     * The message id is derived from {@code stableName} so a retry of the same outbox file keeps its id.
     */
    public PeerWire.Outgoing seal(PeerAllowlist allowlist, Envelope env, String stableName) {
        String to = env.to();
        int at = to == null ? -1 : to.indexOf('@');
        if (at < 0 || !EnvelopeRules.isValidAddress(to)) {
            throw new Undeliverable("recipient '" + to + "' is not <agent>@<peer>; address a remote agent like agent1@hostb");
        }
        if (!ai.netsky.core.AgentId.isValid(env.from())) {
            throw new Undeliverable("sender '" + env.from() + "' is not a local agent id; a host only sends for its own agents");
        }
        String label = to.substring(at + 1);
        var peer = allowlist.byLabel(label).orElseThrow(() -> new Undeliverable("unknown peer '" + label + "': it is not in "
                + allowlist.file() + "; add it with `netsky io peer add " + label + " <public-key>`"));
        byte[] payload = EnvelopeCodec.toJson(env);
        if (payload.length > PeerWire.MAX_PAYLOAD_BYTES) {
            throw new Undeliverable("envelope is " + payload.length + " bytes, over the " + PeerWire.MAX_PAYLOAD_BYTES
                    + "-byte cross-machine cap; send a shorter message");
        }
        return PeerWire.seal(me, peer.publicKey(), settings.subjectFor(peer.publicKey()), messageId(stableName), payload, Instant.now());
    }

    public PublishAck publish(JetStream js, PeerWire.Outgoing out) throws IOException, JetStreamApiException {
        PublishOptions po = PublishOptions.builder().messageId(out.msgId()).expectedStream(settings.stream()).build();
        return js.publish(out.subject(), out.headers(), out.payload(), po);
    }

    /** 32 hex characters of SHA-256(own key / name): stable per outbox file, distinct across hosts. */
    public String messageId(String stableName) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((me.publicKey() + "/" + stableName).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
