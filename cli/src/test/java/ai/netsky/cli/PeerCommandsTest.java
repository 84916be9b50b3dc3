package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Inbox;
import ai.netsky.peer.AllowlistSource;
import ai.netsky.peer.LocalNatsServer;
import ai.netsky.peer.PeerAllowlist;
import ai.netsky.peer.PeerBridge;
import ai.netsky.peer.PeerIdentity;
import ai.netsky.peer.PeerLog;
import ai.netsky.peer.PeerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code netsky io peer …} and {@code channel send <agent>@<peer>} run in-process against isolated homes. */
class PeerCommandsTest {

    @Test
    void whoamiAddListRemoveAndTheirErrors() throws Exception {
        try (var h = new NetskyHarness()) {
            var who = h.run("io", "peer", "whoami");
            assertEquals(0, who.exit(), who.err());
            String key = who.out().strip();
            assertTrue(PeerIdentity.isValidPublicKey(key), key);
            assertEquals(key, h.run("io", "peer", "whoami").out().strip(), "stable across runs");
            assertEquals(key, h.run("io", "iroh", "whoami").out().strip(), "netsky's `io iroh` spelling works too");
            var json = h.run("io", "peer", "whoami", "--json");
            assertTrue(json.out().contains("\"public_key\" : \"" + key + "\""), json.out());

            var add = h.run("io", "peer", "add", "hostb", key);
            assertEquals(0, add.exit(), add.err());
            assertTrue(add.out().startsWith("[netsky io peer] added hostb"), add.out());
            var list = h.run("io", "peer", "list", "--json");
            assertTrue(list.out().contains("\"label\" : \"hostb\"") && list.out().contains(key), list.out());

            var badLabel = h.run("io", "peer", "add", "Host_B", key);
            assertEquals(1, badLabel.exit());
            assertTrue(badLabel.err().startsWith("error: invalid peer label 'Host_B'"), badLabel.err());
            var badKey = h.run("io", "peer", "add", "hostc", "SUAKEY");
            assertEquals(1, badKey.exit());
            assertTrue(badKey.err().contains("invalid public key"), badKey.err());
            var dup = h.run("io", "peer", "add", "hostc", key);
            assertTrue(dup.err().contains("already allowed as 'hostb'"), dup.err());

            var rm = h.run("io", "peer", "remove", "hostb");
            assertEquals(0, rm.exit(), rm.err());
            var rmAgain = h.run("io", "peer", "remove", "hostb");
            assertEquals(1, rmAgain.exit());
            assertTrue(rmAgain.err().contains("no peer 'hostb'"), rmAgain.err());
            assertTrue(h.run("io", "peer", "list").out().contains("no peers"));
            assertEquals(2, h.run("io", "peer", "frobnicate").exit(), "usage error");
        }
    }

    @Test
    void channelSendToAPeerAddressQueuesInTheOutbox() throws Exception {
        try (var h = new NetskyHarness()) {
            var sent = h.run("channel", "send", "agent1@hostb", "over there");
            assertEquals(0, sent.exit(), sent.err());
            assertTrue(sent.out().startsWith("[netsky channel] queued for agent1@hostb in the peer outbox: "), sent.out());
            var pending = PeerBridge.outbox(h.paths()).pending();
            assertEquals(1, pending.size());
            var env = EnvelopeCodec.parse(Files.readAllBytes(pending.get(0)));
            assertEquals("agent1@hostb", env.to());
            assertEquals("agent0", env.from());
            var bad = h.run("channel", "send", "agent1@Host B", "x");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("<agent>@<peer>"), bad.err());
        }
    }

    @Test
    void oneShotSendAndStatusAgainstARealBroker() throws Exception {
        Path natsDir = Files.createTempDirectory("netsky-nats-cli-");
        try (var nats = new LocalNatsServer(natsDir, List.of()).start(); var ha = new NetskyHarness(); var hb = new NetskyHarness()) {
            ha.withEnv("NETSKY_PEER_URL", nats.url());
            hb.withEnv("NETSKY_PEER_URL", nats.url());
            String keyA = ha.run("io", "peer", "whoami").out().strip();
            String keyB = hb.run("io", "peer", "whoami").out().strip();
            assertEquals(0, ha.run("io", "peer", "add", "hostb", keyB).exit());
            assertEquals(0, hb.run("io", "peer", "add", "hosta", keyA).exit());

            // hostb's bridge, in this JVM, on hostb's home
            var pb = hb.paths();
            PeerIdentity idB = PeerIdentity.load(PeerIdentity.keyFile(pb, Map.of()));
            try (var bridge = new PeerBridge(pb, idB, PeerSettings.local(nats.url()),
                    new AllowlistSource(PeerAllowlist.file(pb, Map.of())), new PeerLog(pb, null)).start()) {
                NetskyHarness.await("hostb's bridge ready", Duration.ofSeconds(20), bridge::ready);
                var send = ha.withEnv("AGENT_N", "3").run("io", "peer", "send", "hostb", "one shot", "--to", "agent2");
                assertEquals(0, send.exit(), send.err());
                assertTrue(send.out().contains("sent to agent2@hostb via " + nats.url()), send.out());
                Inbox inbox = new Inbox(pb, AgentId.of("agent2"));
                NetskyHarness.await("agent2 on hostb got it", Duration.ofSeconds(15), () -> inbox.pending().size() == 1);
                var env = EnvelopeCodec.parse(Files.readAllBytes(inbox.pending().get(0)));
                assertEquals("agent3@hosta", env.from());
                assertEquals("one shot", env.text());

                var unknown = ha.run("io", "peer", "send", "hostz", "x");
                assertEquals(1, unknown.exit());
                assertTrue(unknown.err().contains("unknown peer 'hostz'"), unknown.err());

                // The heartbeat file is rewritten each bridge loop (at least every second).
                NetskyHarness.await("hostb's heartbeat counts the delivery", Duration.ofSeconds(10),
                        () -> hb.run("io", "peer", "status", "--json").out().contains("\"delivered\" : 1"));
                var status = hb.run("io", "peer", "status", "--json");
                assertEquals(0, status.exit(), status.err());
                assertTrue(status.out().contains("\"status\" : \"green\""), status.out());
                assertTrue(status.out().contains("\"reachable\" : true"), status.out());
                assertTrue(status.out().contains("\"delivered\" : 1"), status.out());
            }
            var statusA = ha.run("io", "peer", "status", "--json");
            assertTrue(statusA.out().contains("\"status\" : \"yellow\"") && statusA.out().contains("the bridge is not running"), statusA.out());
            nats.stop();
            var down = ha.run("io", "peer", "send", "hostb", "x");
            assertEquals(1, down.exit());
            assertTrue(down.err().contains("cannot reach the NATS broker"), down.err());
        } finally {
            NetskyHarness.deleteTree(natsDir);
        }
    }
}
