package ai.netsky.bench;

import ai.netsky.channels.DeliveryLedger;
import ai.netsky.channels.InboxDelivery;
import ai.netsky.channels.McpChannelServer;
import ai.netsky.channels.PushDelivery;
import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 4 figures: inbox write → {@code notifications/claude/channel} latency (p50/p99) and sustained
 * durable throughput of the agent channel (EnvelopeWriter with fsyncs → InboxDelivery → MCP push over a
 * pipe → a client parsing the line), against a baseline run in the same session: the same pipeline
 * with the WatchService off and a 250 ms poll, which is what netsky 0.1.7 does.
 * Usage: bench/run ChannelBench [latencyN] [throughputN] [baselineN]
 */
public final class ChannelBench {
    static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        int latencyN = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int throughputN = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int baselineN = args.length > 2 ? Integer.parseInt(args[2]) : 80;
        try (Rig watched = new Rig(true, Duration.ofMillis(250))) {
            watched.latency(200, "W"); // warm-up
            Stats lat = watched.latency(latencyN, "L");
            System.out.println("watch + 250 ms rescan, write start -> push parsed by client: " + lat);
            System.out.println("  (of which the durable write call alone: " + watched.writeCost + ")");
            Stats own = watched.latencyWithoutFsync(latencyN, "N");
            System.out.println("  delivery alone (same link-atomic write, no fsync): " + own);
            double tput = watched.throughput(throughputN, 4);
            System.out.printf("  sustained: %d envelopes from 4 writers, durable write to push received: %.0f envelopes/s%n", throughputN, tput);
            try (Rig polled = new Rig(false, Duration.ofMillis(250))) {
                Stats base = polled.latency(baselineN, "B");
                System.out.println("baseline, 250 ms poll only (netsky 0.1.7's loop):                " + base);
                System.out.printf("ratio baseline/watch: p50 %.0fx, p99 %.0fx%n", base.medianMs() / lat.medianMs(), base.pctMs(99) / lat.pctMs(99));
            }
        }
    }

    /** One agent inbox, its delivery loop and an MCP client on the other end of a pipe. */
    static final class Rig implements AutoCloseable {
        final Path home;
        final NetskyPaths paths;
        final EnvelopeWriter writer;
        final McpChannelServer server;
        final DeliveryLedger ledger;
        final InboxDelivery delivery;
        final OutputStream toServer;
        final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
        final AtomicLong received = new AtomicLong();
        Stats writeCost;

        Rig(boolean watch, Duration rescan) throws Exception {
            home = Files.createTempDirectory("netsky-chbench-");
            paths = new NetskyPaths(home);
            writer = new EnvelopeWriter(paths);
            Pipe in = Pipe.open();
            Pipe out = Pipe.open();
            PrintStream log = new PrintStream(OutputStream.nullOutputStream());
            server = McpChannelServer.start(new McpChannelServer.Spec("agent", "bench", "bench", List.of()),
                    Channels.newInputStream(in.source()), Channels.newOutputStream(out.sink()), log);
            toServer = Channels.newOutputStream(in.sink());
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        long now = System.nanoTime();
                        JsonNode n = JSON.readTree(line);
                        if (!McpChannelServer.CHANNEL_NOTIFICATION.equals(n.path("method").asString(""))) continue;
                        receivedAt.put(n.path("params").path("meta").path("id").asString(), now);
                        received.incrementAndGet();
                    }
                } catch (Exception e) {
                    // pipe closed at the end
                }
            });
            line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
            line("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            if (!server.awaitInitialized(Duration.ofSeconds(10))) throw new IllegalStateException("no handshake");
            Inbox inbox = new Inbox(paths, AgentId.of("agent1"));
            paths.ensureDir(inbox.dir());
            ledger = InboxDelivery.openLedger(paths, inbox);
            delivery = new InboxDelivery(inbox, ledger, new PushDelivery(server), rescan, log, e -> { }, watch).start();
        }

        void line(String s) throws Exception {
            toServer.write((s + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
        }

        Stats latency(int n, String prefix) throws Exception {
            long[] lat = new long[n];
            long[] cost = new long[n];
            for (int i = 0; i < n; i++) {
                String id = prefix + i;
                long t0 = System.nanoTime();
                writer.send(AgentId.of("agent1"), Envelope.now("agent0", "latency probe " + i).withId(id));
                long written = System.nanoTime();
                Long at;
                long deadline = written + Duration.ofSeconds(5).toNanos();
                while ((at = receivedAt.get(id)) == null) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException(id + " not delivered within 5 s");
                    Thread.onSpinWait();
                }
                lat[i] = at - t0; // the push can beat the writer's final dir fsync, so time from the start of the write
                cost[i] = written - t0;
            }
            writeCost = Stats.of(cost);
            return Stats.of(lat);
        }

        /**
         * The channel's own latency, without the disk: the writer's tmp + hard link without fsyncs (so the file
         * appears exactly as EnvelopeWriter makes it appear), timed from the start of the write to the parsed push.
         */
        Stats latencyWithoutFsync(int n, String prefix) throws Exception {
            Path inbox = paths.inbox(AgentId.of("agent1"));
            long[] lat = new long[n];
            for (int i = 0; i < n; i++) {
                String id = prefix + i;
                byte[] json = ai.netsky.core.EnvelopeCodec.toJson(Envelope.now("agent0", "latency probe " + i).withId(id));
                String name = EnvelopeWriter.buildFilename("agent0");
                long t0 = System.nanoTime();
                Path tmp = inbox.resolve("." + name + ".0.tmp");
                Files.write(tmp, json);
                Files.createLink(inbox.resolve(name), tmp);
                Files.delete(tmp);
                Long at;
                long deadline = t0 + Duration.ofSeconds(5).toNanos();
                while ((at = receivedAt.get(id)) == null) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException(id + " not delivered within 5 s");
                    Thread.onSpinWait();
                }
                lat[i] = at - t0;
            }
            return Stats.of(lat);
        }

        double throughput(int n, int writers) throws Exception {
            long before = received.get();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            long t0 = System.nanoTime();
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int k = w;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < n / writers; i++) writer.send(AgentId.of("agent1"), Envelope.now("agent" + (10 + k), "t").withId("T" + k + "-" + i));
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            long target = before + (long) (n / writers) * writers;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (received.get() < target) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("only " + (received.get() - before) + " delivered");
                Thread.sleep(1);
            }
            pool.shutdown();
            return (target - before) / ((System.nanoTime() - t0) / 1e9);
        }

        @Override
        public void close() throws Exception {
            delivery.close();
            delivery.awaitStopped(Duration.ofSeconds(5));
            ledger.close();
            server.close();
            toServer.close();
        }
    }
}
