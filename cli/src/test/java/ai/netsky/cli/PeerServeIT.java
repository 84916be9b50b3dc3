package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Inbox;
import ai.netsky.peer.LocalNatsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
            String keyA = ha.exec(Duration.ofSeconds(60), "io", "peer", "whoami").stdout().strip();
            String keyB = hb.exec(Duration.ofSeconds(60), "io", "peer", "whoami").stdout().strip();
            assertEquals(0, ha.exec(Duration.ofSeconds(60), "io", "peer", "add", "hostb", keyB).exitCode());
            assertEquals(0, hb.exec(Duration.ofSeconds(60), "io", "peer", "add", "hosta", keyA).exitCode());

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

            var drained = hb.exec(Duration.ofSeconds(60), "channel", "drain", "agent1");
            assertTrue(drained.stdout().contains("from=\"agent3@hosta\"") && drained.stdout().contains(">ping across</channel>"), drained.stdout());

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

    private static Process serve(NetskyHarness h) throws IOException {
        var pb = new ProcessBuilder(NetskyHarness.netskyBin().toString(), "io", "serve", "--source", "peer")
                .directory(h.root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(h.base.resolve("serve.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(h.env());
        return pb.start();
    }
}
