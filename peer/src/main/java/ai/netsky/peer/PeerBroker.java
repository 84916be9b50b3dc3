package ai.netsky.peer;

import ai.netsky.core.NetskyException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/** Connecting to the NATS broker and declaring the stream and this host's durable consumer. */
public final class PeerBroker {
    private PeerBroker() {}

    /** JetStream's publish dedup window: a republish with the same Nats-Msg-Id inside it is dropped by the broker. */
    public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);

    /**
     * Client options: every server in the list, TLS when configured, reconnect forever (the bridge is
     * long-running), quiet listeners that report to {@code log}.
     */
    public static Options options(PeerSettings s, PeerLog log, boolean reconnectForever, ConnectionListener listener) {
        Options.Builder b = new Options.Builder()
                .servers(s.servers().toArray(String[]::new))
                .connectionName("netsky-peer")
                .connectionTimeout(Duration.ofSeconds(3))
                .reconnectWait(Duration.ofMillis(250))
                .maxReconnects(reconnectForever ? -1 : 0)
                .errorListener(new QuietErrors(log));
        if (listener != null) b.connectionListener(listener);
        var ssl = s.sslContext();
        if (ssl != null) b.sslContext(ssl);
        if (s.creds() != null) b.credentialPath(s.creds().toString());
        return b.build();
    }

    /** One connection attempt; a clear error when the broker is not there. */
    public static Connection connect(Options options, PeerSettings s) {
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw new NetskyException("cannot reach the NATS broker at " + String.join(",", s.servers()) + ": " + e.getMessage()
                    + "; start one (`nats-server -js`) or set peers.url / NETSKY_PEER_URL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetskyException("interrupted while connecting to the NATS broker", e);
        }
    }

    /** Creates the stream if absent. An existing stream is left as the operator configured it. */
    public static void ensureStream(Connection nc, PeerSettings s) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nc.jetStreamManagement();
        try {
            jsm.getStreamInfo(s.stream());
            return;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != 10059) throw e; // 10059: stream not found
        }
        StreamConfiguration sc = StreamConfiguration.builder()
                .name(s.stream())
                .subjects(s.subjectPrefix() + ".>")
                .storageType(StorageType.File)
                // Work-queue retention: a message stays until its host acks it (however long that host is
                // offline, up to max_age), then it is gone. Each host's consumer filters its own subject, so
                // the consumers never overlap, which is what work-queue streams require.
                .retentionPolicy(RetentionPolicy.WorkQueue)
                .discardPolicy(DiscardPolicy.Old)
                .maxAge(s.maxAge())
                .duplicateWindow(DUPLICATE_WINDOW)
                .build();
        try {
            jsm.addStream(sc);
        } catch (JetStreamApiException raced) {
            if (raced.getApiErrorCode() != 10058) throw raced; // 10058: another host created it first
        }
    }

    /** This host's durable pull consumer: everything on its subject, acked one by one. */
    public static ConsumerConfiguration consumerConfig(PeerSettings s, String ownKey) {
        return ConsumerConfiguration.builder()
                .durable(s.consumerFor(ownKey))
                .filterSubject(s.subjectFor(ownKey))
                .deliverPolicy(DeliverPolicy.All)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(s.ackWait())
                .maxDeliver(-1)
                .maxAckPending(1000)
                .build();
    }

    /** Reports client errors to the log, each distinct one at most every 30 s (reconnect loops repeat them). */
    private static final class QuietErrors implements ErrorListener {
        private final PeerLog log;
        private String last;
        private long lastAt;

        QuietErrors(PeerLog log) { this.log = log; }

        @Override
        public void errorOccurred(Connection conn, String error) {
            report("broker error: " + error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            report("broker connection: " + exp.getClass().getSimpleName() + (exp.getMessage() == null ? "" : ": " + exp.getMessage()));
        }

        private synchronized void report(String line) {
            long now = System.nanoTime();
            if (line.equals(last) && now - lastAt < 30_000_000_000L) return;
            last = line;
            lastAt = now;
            log.info(line);
        }
    }
}
