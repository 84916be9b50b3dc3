package ai.netsky.peer;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumeOptions;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code netsky io serve --source peer}: the long-running bridge between this host's file-system bus
 * and the broker. One worker thread connects (retrying while the broker is away), declares the
 * stream and this host's durable consumer, then drains the peer outbox whenever it changes; the
 * consumer's callbacks verify and deliver incoming envelopes. Nothing is lost while the broker or a
 * host is down: outgoing envelopes wait in the outbox, incoming ones wait in the stream.
 */
public final class PeerBridge implements AutoCloseable {
    private final NetskyPaths paths;
    private final PeerIdentity me;
    private final PeerSettings settings;
    private final AllowlistSource allowlist;
    private final PeerLog log;
    private final PeerPublisher publisher;
    private final PeerReceiver receiver;
    private final Inbox outbox;
    private final Thread worker;
    private final Instant startedAt = Instant.now();
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile MessageConsumer consumer;
    private volatile boolean ready;
    private volatile WatchService watch;

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();

    public PeerBridge(NetskyPaths paths, PeerIdentity me, PeerSettings settings, AllowlistSource allowlist, PeerLog log) {
        this.paths = paths;
        this.me = me;
        this.settings = settings;
        this.allowlist = allowlist;
        this.log = log;
        this.publisher = new PeerPublisher(me, settings);
        this.receiver = new PeerReceiver(paths, me.publicKey(), allowlist, log);
        this.outbox = outbox(paths);
        this.worker = Thread.ofPlatform().name("netsky-peer-bridge").daemon(true).unstarted(this::work);
    }

    /** The peer outbox ({@code channels/peer/outbox}), with {@code sent/} and {@code quarantine/} beside it. */
    public static Inbox outbox(NetskyPaths paths) {
        Path dir = paths.peerChannelDir();
        return Inbox.at(paths, paths.peerOutbox(), dir.resolve("sent"), dir.resolve("quarantine"));
    }

    public static Path stateFile(NetskyPaths paths) {
        return paths.stateDir().resolve("peer-bridge.json");
    }

    public PeerBridge start() {
        paths.ensureDir(paths.peerOutbox());
        int pruned = receiver.journal().prune(PeerWire.MAX_AGE.plusDays(1));
        log.info("bridge starting: host key " + me.publicKey() + ", broker " + String.join(",", settings.servers())
                + ", stream " + settings.stream() + (settings.tls() ? ", TLS" : "") + (pruned > 0 ? ", pruned " + pruned + " old receipts" : ""));
        worker.start();
        return this;
    }

    /** True once connected with the stream and consumer declared. */
    public boolean ready() { return ready && connection != null && connection.getStatus() == Connection.Status.CONNECTED; }

    public long published() { return published.get(); }
    public long delivered() { return delivered.get(); }
    public long duplicates() { return duplicates.get(); }
    public long refused() { return refused.get(); }

    /** Wakes the outbox drain now (a local send just wrote a file); the watcher does this too. */
    public void nudge() {
        synchronized (this) {
            notifyAll();
        }
    }

    private void work() {
        long backoffMs = 100;
        while (!closed) {
            try {
                if (connection == null) connect();
                if (!ready) setUp();
                backoffMs = 100;
                drainOutbox();
                writeState();
                awaitChange();
            } catch (NetskyException e) {
                if (closed) break;
                log.info("bridge retrying in " + backoffMs + " ms: " + e.getMessage());
                writeState();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            } catch (IOException | JetStreamApiException | IllegalStateException e) {
                if (closed) break;
                log.info("bridge waiting for the broker (retry in " + backoffMs + " ms): " + e.getMessage());
                writeState();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5000);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void connect() {
        ConnectionListener listener = (conn, event) -> {
            switch (event) {
                case DISCONNECTED -> log.info("broker disconnected; outgoing envelopes wait in " + paths.peerOutbox());
                case RECONNECTED -> {
                    // A pull request in flight when the broker went away is gone with it: subscribe afresh
                    // rather than wait for the client's heartbeat alarm. Redelivered messages are deduplicated.
                    log.info("broker reconnected; resubscribing");
                    ready = false;
                    nudge();
                }
                default -> { }
            }
        };
        Options options = PeerBroker.options(settings, log, true, listener);
        connection = PeerBroker.connect(options, settings);
        log.info("connected to " + connection.getConnectedUrl());
    }

    private void setUp() throws IOException, JetStreamApiException {
        MessageConsumer old = consumer;
        if (old != null) {
            old.stop();
            consumer = null;
        }
        PeerBroker.ensureStream(connection, settings);
        var stream = connection.getStreamContext(settings.stream());
        var cc = stream.createOrUpdateConsumer(PeerBroker.consumerConfig(settings, me.publicKey()));
        consumer = cc.consume(ConsumeOptions.builder().batchSize(256).expiresIn(10_000).build(), this::onMessage);
        ready = true;
        log.info("receiving on " + settings.subjectFor(me.publicKey()) + " (durable consumer " + cc.getConsumerName() + ")");
    }

    private void onMessage(Message msg) {
        PeerReceiver.Outcome outcome;
        try {
            outcome = receiver.handle(msg.getHeaders(), msg.getData());
        } catch (RuntimeException unexpected) {
            log.info("cannot handle a message yet (" + unexpected + "); the broker will redeliver it");
            outcome = PeerReceiver.Outcome.RETRY;
        }
        switch (outcome) {
            case DELIVERED -> {
                delivered.incrementAndGet();
                msg.ack();
            }
            case DUPLICATE -> {
                duplicates.incrementAndGet();
                msg.ack();
            }
            case REFUSED -> {
                refused.incrementAndGet();
                msg.term(); // never redeliver what was refused
            }
            case RETRY -> msg.nakWithDelay(Duration.ofSeconds(5));
        }
    }

    private void drainOutbox() throws IOException, JetStreamApiException {
        JetStream js = connection.jetStream();
        PeerAllowlist list = null;
        for (Path file : outbox.pending()) {
            if (closed) return;
            Inbox.Item item = outbox.read(file);
            switch (item) {
                case null -> { }
                case Inbox.Malformed bad -> quarantine(bad.path(), bad.reason());
                case Inbox.Ready ready -> {
                    if (list == null) list = allowlist.current();
                    PeerWire.Outgoing out;
                    try {
                        out = publisher.seal(list, ready.envelope(), file.getFileName().toString());
                    } catch (PeerPublisher.Undeliverable no) {
                        quarantine(file, no.getMessage());
                        continue;
                    }
                    var ack = publisher.publish(js, out); // throws while the broker is away: the file stays, retried later
                    outbox.markProcessed(file);
                    published.incrementAndGet();
                    log.info("published " + out.msgId() + " to " + ready.envelope().to() + (ack.isDuplicate() ? " (broker had it already)" : "")
                            + " as stream seq " + ack.getSeqno());
                }
            }
        }
    }

    private void quarantine(Path file, String reason) {
        undeliverable.incrementAndGet();
        if (outbox.quarantine(file, reason)) log.info("not sent, quarantined " + file.getFileName() + ": " + reason);
    }

    /** Waits for a file in the outbox (inotify where available), a nudge, or 1 s, whichever comes first. */
    private void awaitChange() throws InterruptedException {
        try {
            if (watch == null) {
                watch = paths.peerOutbox().getFileSystem().newWatchService();
                paths.peerOutbox().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            }
            var key = watch.poll(ready ? 1000 : 100, TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
            }
        } catch (IOException | ClosedWatchServiceException | UnsupportedOperationException noWatch) {
            synchronized (this) {
                wait(250);
            }
        }
    }

    private void writeState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        m.put("host_key", me.publicKey());
        m.put("started_at", Timestamps.rfc3339(startedAt));
        m.put("heartbeat_at", Timestamps.rfc3339Now());
        m.put("connected", ready());
        m.put("broker", connection == null ? null : connection.getConnectedUrl());
        m.put("published", published.get());
        m.put("delivered", delivered.get());
        m.put("duplicates", duplicates.get());
        m.put("refused", refused.get());
        m.put("undeliverable", undeliverable.get());
        Path f = stateFile(paths);
        try {
            paths.ensureDir(f.getParent());
            Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
            Files.write(tmp, EnvelopeCodec.mapper().writeValueAsBytes(m));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // status is advisory; the log says what the bridge does
        }
    }

    private void sleep(long ms) {
        try {
            synchronized (this) {
                if (!closed) wait(ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops receiving, finishes the message in hand, closes the connection. */
    @Override
    public void close() {
        closed = true;
        nudge();
        try {
            if (watch != null) watch.close();
        } catch (IOException ignored) {
            // closing a watch service cannot fail meaningfully
        }
        MessageConsumer c = consumer;
        if (c != null) c.stop();
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection conn = connection;
        if (conn != null) {
            try {
                conn.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ready = false;
        writeState();
        log.info("bridge stopped: published " + published + ", delivered " + delivered + ", duplicates " + duplicates + ", refused " + refused);
    }
}
