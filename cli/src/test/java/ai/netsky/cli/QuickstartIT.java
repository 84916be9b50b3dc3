package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README quickstart against the packaged bin/netsky: a stub constellation, a ping, a graceful down. */
class QuickstartIT {
    @Test
    void upTwoStubPingAndDown() throws Exception {
        try (var h = new NetskyHarness()) {
            h.withEnv("NETSKY_TMP", h.base.toString());
            var up = h.exec(Duration.ofSeconds(120), "up", "2", "--type", "stub", "--no-attach");
            assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
            assertTrue(up.stdout().contains("[netsky up] constellation up: agent0, agent1, agent2, agentinfinity"), up.stdout());
            var ls = h.tmux("ls", "-F", "#{session_name}").stdout();
            for (String s : new String[] {"agent0", "agent1", "agent2", "agentinfinity", "netsky-ticker"}) assertTrue(ls.contains(s), s + " in " + ls);
            var send = h.exec(Duration.ofSeconds(30), "channel", "send", "agent1", "ping");
            assertEquals(0, send.exitCode(), send.stderr());
            NetskyHarness.await("agent0's pane to show agent1's pong", Duration.ofSeconds(30),
                    () -> h.tmux("capture-pane", "-p", "-J", "-t", "=agent0:").stdout().contains("received from agent1 (kind reply)"));
            var down = h.exec(Duration.ofSeconds(90), "down");
            assertEquals(0, down.exitCode(), down.stdout() + down.stderr());
            assertFalse(down.stdout().contains("forcing kill"), down.stdout());
            assertTrue(Files.exists(h.paths().agentinfinityReadyMarker()));
            assertTrue(h.tmux("has-session", "-t", "=agentinfinity").ok(), "agentinfinity stays");
        }
    }
}
