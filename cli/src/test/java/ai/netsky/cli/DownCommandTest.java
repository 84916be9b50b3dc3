package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.cli.DownCommand.ShutdownChannel;
import ai.netsky.core.Envelope;
import ai.netsky.tmux.SessionOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's down.rs tests, ported: the flow against fake sessions and a fake shutdown channel. */
class DownCommandTest {
    static final class FakeSessions implements SessionOps {
        final List<String> listed;
        final Set<String> alive;
        int hasChecks;
        final List<String> killed = new ArrayList<>();
        final List<String> events;

        FakeSessions(List<String> events, String... listed) {
            this.listed = List.of(listed);
            this.alive = new HashSet<>(this.listed);
            this.events = events;
        }

        @Override
        public List<String> listSessions() {
            return listed;
        }

        @Override
        public boolean hasSession(String name) {
            hasChecks++;
            return alive.contains(name);
        }

        @Override
        public void killSession(String name) {
            alive.remove(name);
            killed.add(name);
            events.add("kill " + name);
        }
    }

    static final class FakeChannel implements ShutdownChannel {
        final List<String[]> sent = new ArrayList<>();
        final Set<String> acked = new HashSet<>();
        final List<String> events;

        FakeChannel(List<String> events) {
            this.events = events;
        }

        @Override
        public void sendShutdown(String target, String requestId) {
            sent.add(new String[] {target, requestId});
            events.add("send " + target);
        }

        @Override
        public boolean hasShutdownAck(String target, String requestId) {
            return acked.contains(target);
        }
    }

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private String output() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void matchesAgentSessionsOnly() {
        assertEquals(List.of("agent0", "agent5", "agent42"),
                DownCommand.filterAgentSessions(List.of("agent0", "agent5", "agent42", "agentinfinity", "agent", "agentfoo", "foo", "netsky-ticker")));
    }

    @Test
    void defaultTargetsLeaveAgentinfinityAlive() {
        assertEquals(List.of("agent0", "agent1"), DownCommand.filterAgentSessions(List.of("agent0", "agent1", "agentinfinity", "netsky-ticker")));
    }

    @Test
    void forceKillsImmediatelyWithoutShutdownEnvelopes() {
        var events = new ArrayList<String>();
        var sessions = new FakeSessions(events, "agent0", "agent1");
        var channel = new FakeChannel(events);
        DownCommand.runWith(sessions, channel, true, Duration.ZERO, Duration.ZERO, out);
        assertEquals(0, channel.sent.size());
        assertEquals(List.of("agent0", "agent1"), sessions.killed);
        assertEquals(0, sessions.hasChecks);
        assertEquals("[netsky down] killed 'agent0'\n[netsky down] killed 'agent1'\n", output());
    }

    @Test
    void defaultSendsShutdownEnvelopesAndWaitsBeforeForceKill() {
        var events = new ArrayList<String>();
        var sessions = new FakeSessions(events, "agent1", "agent2");
        var channel = new FakeChannel(events);
        DownCommand.runWith(sessions, channel, false, Duration.ZERO, Duration.ZERO, out);
        assertEquals(2, channel.sent.size());
        assertEquals("agent1", channel.sent.get(0)[0]);
        assertEquals("agent2", channel.sent.get(1)[0]);
        assertTrue(channel.sent.get(0)[1].matches("shutdown-agent1-\\d+"), channel.sent.get(0)[1]);
        assertEquals(2, sessions.hasChecks);
        assertEquals(List.of("agent1", "agent2"), sessions.killed);
        assertEquals(List.of("send agent1", "send agent2", "kill agent1", "kill agent2"), events);
        assertTrue(output().contains("[netsky down] 'agent1' did not close within 0s; forcing kill\n[netsky down] killed 'agent1' after graceful timeout\n"), output());
    }

    @Test
    void defaultKillsAfterShutdownAck() {
        var events = new ArrayList<String>();
        var sessions = new FakeSessions(events, "agent1");
        var channel = new FakeChannel(events);
        channel.acked.add("agent1");
        DownCommand.runWith(sessions, channel, false, Duration.ofSeconds(60), Duration.ZERO, out);
        assertEquals(1, channel.sent.size());
        assertEquals(List.of("agent1"), sessions.killed);
        assertEquals("[netsky down] requested graceful shutdown for 'agent1'\n"
                + "[netsky down] 'agent1' acked shutdown; killing remaining tmux session\n"
                + "[netsky down] killed 'agent1' after shutdown ack\n", output());
    }

    @Test
    void defaultDoesNotKillSessionThatClosedItself() {
        var events = new ArrayList<String>();
        var sessions = new FakeSessions(events, "agent1");
        sessions.alive.remove("agent1");
        var channel = new FakeChannel(events);
        DownCommand.runWith(sessions, channel, false, Duration.ofSeconds(60), Duration.ZERO, out);
        assertEquals(1, channel.sent.size());
        assertTrue(sessions.killed.isEmpty());
        assertTrue(output().contains("[netsky down] 'agent1' closed gracefully"), output());
    }

    @Test
    void noTargetsSaysSo() {
        var events = new ArrayList<String>();
        DownCommand.runWith(new FakeSessions(events, "agentinfinity"), new FakeChannel(events), false, Duration.ZERO, Duration.ZERO, out);
        assertEquals("[netsky down] no agent sessions running\n", output());
        assertTrue(events.isEmpty());
    }

    @Test
    void recognizesShutdownAckEnvelope() {
        Envelope env = Envelope.of("agent3", "shutdown ack", "2026-04-17T00:00:00Z").withKind("shutdown_ack").withInReplyTo("shutdown-agent3-1");
        assertTrue(DownCommand.isShutdownAck(env, "agent3", "shutdown-agent3-1"));
        assertFalse(DownCommand.isShutdownAck(env, "agent4", "shutdown-agent3-1"));
        assertFalse(DownCommand.isShutdownAck(env, "agent3", "other"));
        // The text rule: a plain reply saying "shutdown ack" to the request (what the reply tool sends).
        Envelope reply = Envelope.of("agent3", "Shutdown ACK, bye", "2026-04-17T00:00:00Z").withKind("reply").withInReplyTo("shutdown-agent3-1");
        assertTrue(DownCommand.isShutdownAck(reply, "agent3", "shutdown-agent3-1"));
        assertFalse(DownCommand.isShutdownAck(reply.withInReplyTo(null), "agent3", "shutdown-agent3-1"));
    }
}
