package ai.netsky.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reply/send to an agent on another host ({@code agent3@hosta}) queue in the peer outbox for the bridge. */
class AgentToolsPeerTest {
    @TempDir Path home;

    @Test
    void replyToARemoteSenderAndSendToAPeerAddressGoToThePeerOutbox() throws Exception {
        NetskyPaths paths = new NetskyPaths(home);
        AgentTools tools = new AgentTools(AgentId.of("agent1"), new EnvelopeWriter(paths));
        tools.delivered(Envelope.now("agent3@hosta", "ping").withTo("agent1").withId("m-7").withThread("t1"));

        var reply = tools.reply(new ChannelTool.Arguments(Map.of("chat_id", "agent3@hosta", "text", "pong")));
        assertFalse(reply.isError(), reply.toString());
        var send = tools.send(new ChannelTool.Arguments(Map.of("to", "agent2@hostc", "text", "hello")));
        assertFalse(send.isError(), send.toString());

        List<Path> files;
        try (var s = Files.list(paths.peerOutbox())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertEquals(2, files.size());
        Envelope r = EnvelopeCodec.parse(Files.readAllBytes(files.get(0)));
        assertEquals("agent3@hosta", r.to());
        assertEquals("agent1", r.from());
        assertEquals("m-7", r.inReplyTo());
        assertEquals("t1", r.thread());
        assertEquals("agent2@hostc", EnvelopeCodec.parse(Files.readAllBytes(files.get(1))).to());
        assertTrue(Files.notExists(paths.inbox(AgentId.of("agent3"))), "nothing went to a local inbox");
    }
}
