package ai.netsky.bench;

import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyPaths;
import ai.netsky.peer.AllowlistSource;
import ai.netsky.peer.LocalNatsServer;
import ai.netsky.peer.PeerAllowlist;
import ai.netsky.peer.PeerBridge;
import ai.netsky.peer.PeerIdentity;
import ai.netsky.peer.PeerLog;
import ai.netsky.peer.PeerSettings;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Issue 7 figures: cross-host envelope latency (p50/p99) and throughput through a real nats-server,
 * from {@code EnvelopeWriter.deliver("agent1@hostb")} on host A to the fsynced file in host B's inbox
 * (two homes, two bridges, one broker on loopback). Baselines in the same run: a bare JetStream
 * publish-ack round trip and a bare core-NATS request/reply on the same broker and payload.
 * Usage: bench/run PeerBench [latencySamples] [throughputMessages]
 */
public final class PeerBench {
    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path base = Files.createTempDirectory("netsky-peer-bench-");
        try (LocalNatsServer nats = new LocalNatsServer(Files.createDirectories(base.resolve("nats")), List.of()).start()) {
            PeerSettings settings = PeerSettings.local(nats.url());
            Host a = new Host(base.resolve("hosta"));
            Host b = new Host(base.resolve("hostb"));
            a.allow("hostb", b);
            b.allow("hosta", a);
            try (PeerBridge ba = a.bridge(settings); PeerBridge bb = b.bridge(settings)) {
                await(() -> ba.ready() && bb.ready() ? 1 : 0, 1, Duration.ofSeconds(30));
                EnvelopeWriter w = new EnvelopeWriter(a.paths);
                String body = "x".repeat(200);
                for (int i = 0; i < 100; i++) w.deliver("agent1@hostb", Envelope.now("agent0", body)); // warm-up
                await(bb::delivered, 100, Duration.ofSeconds(60));

                long[] lat = new long[samples];
                for (int i = 0; i < samples; i++) {
                    long want = bb.delivered() + 1;
                    long t = System.nanoTime();
                    w.deliver("agent1@hostb", Envelope.now("agent0", body));
                    await(bb::delivered, want, Duration.ofSeconds(30));
                    lat[i] = System.nanoTime() - t;
                }
                Stats peer = Stats.of(lat);

                long start = bb.delivered();
                long t0 = System.nanoTime();
                for (int i = 0; i < burst; i++) w.deliver("agent1@hostb", Envelope.now("agent0", body));
                long queued = System.nanoTime() - t0;
                await(bb::delivered, start + burst, Duration.ofSeconds(300));
                double secs = (System.nanoTime() - t0) / 1e9;

                // Baseline: one local durable envelope write (the same EnvelopeWriter, fsyncs included), as latency and rate.
                ai.netsky.core.AgentId local = ai.netsky.core.AgentId.of("agent5");
                long[] loc = new long[samples];
                for (int i = 0; i < samples; i++) {
                    long t = System.nanoTime();
                    w.send(local, Envelope.now("agent0", body));
                    loc[i] = System.nanoTime() - t;
                }
                Stats localWrite = Stats.of(loc);
                long tl = System.nanoTime();
                for (int i = 0; i < burst; i++) w.send(local, Envelope.now("agent0", body));
                double localRate = burst / ((System.nanoTime() - tl) / 1e9);

                Stats jsAck;
                Stats coreRtt;
                double jsRate;
                try (Connection nc = Nats.connect(nats.url())) {
                    nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("BASELINE").subjects("baseline.>")
                            .storageType(StorageType.File).build());
                    var js = nc.jetStream();
                    byte[] payload = ai.netsky.core.EnvelopeCodec.toJson(Envelope.now("agent0", body));
                    for (int i = 0; i < 200; i++) js.publish("baseline.warm", payload);
                    long[] ack = new long[samples];
                    for (int i = 0; i < samples; i++) {
                        long t = System.nanoTime();
                        js.publish("baseline.lat", null, payload, PublishOptions.builder().messageId("lat-" + i).build());
                        ack[i] = System.nanoTime() - t;
                    }
                    jsAck = Stats.of(ack);
                    long tj = System.nanoTime();
                    for (int i = 0; i < burst; i++) js.publish("baseline.tp", payload);
                    jsRate = burst / ((System.nanoTime() - tj) / 1e9);
                    var d = nc.createDispatcher(m -> nc.publish(m.getReplyTo(), m.getData()));
                    d.subscribe("echo");
                    nc.flush(Duration.ofSeconds(5));
                    long[] rtt = new long[samples];
                    for (int i = 0; i < samples; i++) {
                        long t = System.nanoTime();
                        nc.request("echo", payload, Duration.ofSeconds(5));
                        rtt[i] = System.nanoTime() - t;
                    }
                    coreRtt = Stats.of(rtt);
                }
                System.out.println("cross-host envelope, outbox on A -> fsynced inbox file on B: " + peer);
                System.out.println("baseline local durable envelope write (same writer):      " + localWrite);
                System.out.println("baseline JetStream publish->ack (file store, same payload):    " + jsAck);
                System.out.println("baseline core NATS request/reply round trip:                   " + coreRtt);
                System.out.printf("latency ratios (p50): envelope / local write %.1fx, envelope / JetStream ack %.1fx, envelope / core RTT %.1fx%n",
                        peer.medianMs() / localWrite.medianMs(), peer.medianMs() / jsAck.medianMs(), peer.medianMs() / coreRtt.medianMs());
                System.out.printf("throughput: %d envelopes A->B in %.2f s = %.0f envelopes/s (queueing into the outbox took %.2f s)%n",
                        burst, secs, burst / secs, queued / 1e9);
                System.out.printf("baseline local durable envelope writes: %.0f/s  -> cross-host rate is %.2fx of it%n", localRate, (burst / secs) / localRate);
                System.out.printf("baseline JetStream sync publish: %.0f msgs/s  -> envelope path costs %.1fx%n", jsRate, jsRate / (burst / secs));
            }
        } finally {
            try (var walk = Files.walk(base)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Host(NetskyPaths paths, PeerIdentity id, Path allowlist) {
        Host(Path home) throws Exception {
            this(new NetskyPaths(Files.createDirectories(home)), home);
        }

        private Host(NetskyPaths paths, Path home) {
            this(paths, PeerIdentity.loadOrCreate(paths, PeerIdentity.keyFile(paths, Map.of())), PeerAllowlist.file(paths, Map.of()));
        }

        void allow(String label, Host other) {
            PeerAllowlist.load(allowlist).with(label, other.id.publicKey()).save(paths);
        }

        PeerBridge bridge(PeerSettings s) {
            return new PeerBridge(paths, id, s, new AllowlistSource(allowlist), new PeerLog(paths, null)).start();
        }
    }

    private static void await(LongSupplier counter, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsLong() < target) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + target + ", at " + counter.getAsLong());
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }
}
