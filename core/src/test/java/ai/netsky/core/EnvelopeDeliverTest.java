package ai.netsky.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Addressing on the bus: local agents, {@code <agent>@<peer>} to the peer outbox, fixed-name idempotent writes. */
class EnvelopeDeliverTest {
    @TempDir Path home;

    @Test
    void deliverRoutesLocalAndPeerAddresses() throws Exception {
        NetskyPaths paths = new NetskyPaths(home);
        EnvelopeWriter w = new EnvelopeWriter(paths);
        Path local = w.deliver("agent2", Envelope.now("agent0", "here"));
        assertEquals(paths.inbox(AgentId.of("agent2")), local.getParent());
        Path remote = w.deliver("agent1@hostb", Envelope.now("agent0", "there"));
        assertEquals(paths.peerOutbox(), remote.getParent());
        assertEquals("agent1@hostb", EnvelopeCodec.parse(Files.readAllBytes(remote)).to());
        for (String bad : new String[] {"agent1@", "agent1@Host", "@hostb", "agent1@host b", "agent1@../x", "Agent1@hostb"}) {
            assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> w.deliver(bad, Envelope.now("agent0", "x")), bad);
        }
        var outbox = Inbox.at(paths, paths.peerOutbox(), paths.peerChannelDir().resolve("sent"), paths.peerChannelDir().resolve("quarantine"));
        assertEquals(1, outbox.pending().size());
        assertTrue(outbox.markProcessed(outbox.pending().get(0)));
        assertTrue(Files.exists(paths.peerChannelDir().resolve("sent").resolve(remote.getFileName())));
    }

    @Test
    void writeAsAdmitsAFixedNameOnceAndTheWriterRefusesWhatAReaderWouldQuarantine() {
        NetskyPaths paths = new NetskyPaths(home);
        EnvelopeWriter w = new EnvelopeWriter(paths);
        Path inbox = paths.inbox(AgentId.of("agent1"));
        String name = EnvelopeWriter.buildFilename("agent0@hosta");
        assertTrue(w.writeAs(inbox, name, Envelope.now("agent0@hosta", "once")));
        assertFalse(w.writeAs(inbox, name, Envelope.now("agent0@hosta", "twice")), "the second write of the same name is refused");
        assertEquals(1, new Inbox(paths, AgentId.of("agent1")).pending().size());
        assertThrows(NetskyException.class, () -> w.writeAs(inbox, "../escape.json", Envelope.now("agent0", "x")));
        // 200 000 control characters are under the text cap but escape to 1.2 MB of JSON
        var e = assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> w.send(AgentId.of("agent1"), Envelope.now("agent0", "\u0001".repeat(200_000))));
        assertTrue(e.getMessage().contains("over the 1048576-byte cap"), e.getMessage());
    }
}
