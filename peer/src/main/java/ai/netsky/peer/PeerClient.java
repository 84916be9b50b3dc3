package ai.netsky.peer;

import ai.netsky.core.Envelope;
import ai.netsky.core.NetskyException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.util.UUID;

/** Short-lived broker access for the CLI: a one-shot send ({@code netsky io peer send}) and status queries. */
public final class PeerClient implements AutoCloseable {
    private final PeerSettings settings;
    private final Connection nc;

    private PeerClient(PeerSettings settings, Connection nc) {
        this.settings = settings;
        this.nc = nc;
    }

    /** Connects once (no reconnect loop): the command fails fast with a fix when the broker is away. */
    public static PeerClient connect(PeerSettings settings, PeerLog log) {
        return new PeerClient(settings, PeerBroker.connect(PeerBroker.options(settings, log, false, null), settings));
    }

    public String connectedUrl() { return nc.getConnectedUrl(); }

    /** Seals and publishes one envelope (whose {@code to} is {@code <agent>@<label>}); returns the broker's ack. */
    public PublishAck send(PeerIdentity me, PeerAllowlist allowlist, Envelope env) {
        PeerPublisher pub = new PeerPublisher(me, settings);
        PeerWire.Outgoing out = pub.seal(allowlist, env, "oneshot-" + UUID.randomUUID());
        try {
            PeerBroker.ensureStream(nc, settings);
            return pub.publish(nc.jetStream(), out);
        } catch (IOException | JetStreamApiException e) {
            throw new NetskyException("cannot publish to stream " + settings.stream() + " on " + connectedUrl() + ": " + e.getMessage()
                    + "; check that the broker runs with JetStream enabled (nats-server -js)", e);
        }
    }

    /** The stream, or null when it does not exist yet (no bridge has run). */
    public StreamInfo stream() throws IOException, JetStreamApiException {
        try {
            return nc.jetStreamManagement().getStreamInfo(settings.stream());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10059) return null;
            throw e;
        }
    }

    /** This host's durable consumer, or null before the first bridge run. */
    public ConsumerInfo consumer(String ownKey) throws IOException, JetStreamApiException {
        try {
            return nc.jetStreamManagement().getConsumerInfo(settings.stream(), settings.consumerFor(ownKey));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10014 || e.getApiErrorCode() == 10059) return null; // consumer / stream not found
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
