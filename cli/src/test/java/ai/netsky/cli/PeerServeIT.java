package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.peer.AllowlistSource;
import ai.netsky.peer.LocalNatsServer;
import ai.netsky.peer.PeerAllowlist;
import ai.netsky.peer.PeerBridge;
import ai.netsky.peer.PeerIdentity;
import ai.netsky.peer.PeerLog;
import ai.netsky.peer.PeerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real thing: two homes, each running {@code bin/netsky io serve --source peer} as its own
 * process against one real nats-server; agents talk with plain {@code netsky channel send}.
 */
class PeerServeIT {

    @Test
    void twoBridgesCarryAChannelSendAndItsReplyAndStopOnSigterm() throws Exception {
        Path natsDir = Files.createTempDirectory("netsky-nats-it-");
        Process sa = null;
        Process sb = null;
        try (var nats = new LocalNatsServer(natsDir, List.of()).start(); var ha = new NetskyHarness(); var hb = new NetskyHarness()) {
            ha.withEnv("NETSKY_PEER_URL", nats.url());
            hb.withEnv("NETSKY_PEER_URL", nats.url());
            // Set-up in-process (fast); the bridges and the sends below are real bin/netsky processes.
            String keyA = ha.run("io", "peer", "whoami").out().strip();
            String keyB = hb.run("io", "peer", "whoami").out().strip();
            assertEquals(0, ha.run("io", "peer", "add", "hostb", keyB).exit());
            assertEquals(0, hb.run("io", "peer", "add", "hosta", keyA).exit());

            sa = serve(ha);
            sb = serve(hb);
            var sent = ha.withEnv("AGENT_N", "3").exec(Duration.ofSeconds(60), "channel", "send", "agent1@hostb", "ping across");
            assertEquals(0, sent.exitCode(), sent.stderr());

            Inbox inB = new Inbox(hb.paths(), AgentId.of("agent1"));
            NetskyHarness.await("agent1 on hostb receives the envelope", Duration.ofSeconds(30), () -> inB.pending().size() == 1);
            Envelope got = EnvelopeCodec.parse(Files.readAllBytes(inB.pending().get(0)));
            assertEquals("agent3@hosta", got.from());
            assertEquals("ping across", got.text());

            // agent1 answers the address it was given, as it would a local agent
            var reply = hb.withEnv("AGENT_N", "1").exec(Duration.ofSeconds(60), "channel", "send", got.from(), "pong back");
            assertEquals(0, reply.exitCode(), reply.stderr());
            Inbox inA = new Inbox(ha.paths(), AgentId.of("agent3"));
            NetskyHarness.await("agent3 on hosta receives the reply", Duration.ofSeconds(30), () -> inA.pending().size() == 1);
            assertEquals("agent1@hostb", EnvelopeCodec.parse(Files.readAllBytes(inA.pending().get(0))).from());

            var drained = hb.run("channel", "drain", "agent1");
            assertTrue(drained.out().contains("from=\"agent3@hosta\"") && drained.out().contains(">ping across</channel>"), drained.out());

            for (Process p : List.of(sa, sb)) {
                p.destroy(); // SIGTERM: the shutdown hook closes the bridge
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "serve exits on SIGTERM");
            }
            String logB = Files.readString(hb.paths().logsDir().resolve("peer.log"));
            assertTrue(logB.contains("delivered ") && logB.contains("bridge stopped: published 1, delivered 1"), logB);
        } finally {
            for (Process p : new Process[] {sa, sb}) {
                if (p != null && p.isAlive()) p.destroyForcibly();
            }
            NetskyHarness.deleteTree(natsDir);
        }
    }

    @Test
    void aReceivingBridgeKilledMidStreamDeliversEverythingExactlyOnceAfterRestart() throws Exception {
        Path natsDir = Files.createTempDirectory("netsky-nats-it-");
        Process sb = null;
        PeerBridge bridgeA = null;
        try (var nats = new LocalNatsServer(natsDir, List.of()).start(); var ha = new NetskyHarness(); var hb = new NetskyHarness()) {
            hb.withEnv("NETSKY_PEER_URL", nats.url()).withEnv("NETSKY_PEER_ACK_WAIT_S", "2"); // unacked → redelivered after 2 s
            var pa = ha.paths();
            PeerIdentity idA = PeerIdentity.loadOrCreate(pa, PeerIdentity.keyFile(pa, Map.of()));
            String keyB = hb.run("io", "peer", "whoami").out().strip();
            PeerAllowlist.load(PeerAllowlist.file(pa, Map.of())).with("hostb", keyB).save(pa);
            assertEquals(0, hb.run("io", "peer", "add", "hosta", idA.publicKey()).exit());

            sb = serve(hb);
            bridgeA = new PeerBridge(pa, idA, PeerSettings.local(nats.url()), new AllowlistSource(PeerAllowlist.file(pa, Map.of())),
                    new PeerLog(pa, null)).start();
            int n = 40;
            EnvelopeWriter w = new EnvelopeWriter(pa);
            for (int i = 0; i < n; i++) w.deliver("agent1@hostb", Envelope.now("agent0", "m" + i));
            Inbox inB = new Inbox(hb.paths(), AgentId.of("agent1"));
            NetskyHarness.await("hostb delivering", Duration.ofSeconds(60), () -> inB.pending().size() >= 3);
            sb.destroyForcibly(); // SIGKILL, mid-stream: no shutdown hook, acks in flight are lost
            assertTrue(sb.waitFor(20, TimeUnit.SECONDS));
            int before = inB.pending().size();
            sb = serve(hb);
            NetskyHarness.await("all " + n + " delivered after the restart", Duration.ofSeconds(90), () -> inB.pending().size() >= n);
            // Outlast the 2 s ack wait so any redelivery of a lost ack has happened, then count again.
            Thread.sleep(4000);
            var texts = new java.util.TreeSet<String>();
            for (Path f : inB.pending()) texts.add(EnvelopeCodec.parse(Files.readAllBytes(f)).text());
            assertEquals(n, inB.pending().size(), "exactly once (killed after " + before + ")");
            assertEquals(n, texts.size(), "every message present");
        } finally {
            if (bridgeA != null) bridgeA.close();
            if (sb != null && sb.isAlive()) sb.destroyForcibly();
            NetskyHarness.deleteTree(natsDir);
        }
    }

    private static Process serve(NetskyHarness h) throws IOException {
        var pb = new ProcessBuilder(NetskyHarness.netskyBin().toString(), "io", "serve", "--source", "peer")
                .directory(h.root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(h.base.resolve("serve.log").toFile()));
        pb.environment().clear();
        pb.environment().putAll(h.env());
        return pb.start();
    }
}
