package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.Inbox;
import ai.netsky.core.WatchdogPaths;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** `netsky tick enable|disable|request`, run in-process as a user would. */
class TickCommandTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    WatchdogPaths wd() {
        h.withEnv("NETSKY_TMP", h.base.toString());
        return WatchdogPaths.of(h.paths(), h.env());
    }

    @Test
    void enableRejectsSpamIntervalsAndResetsTheLastTick() throws Exception {
        var wd = wd();
        var low = h.run("tick", "enable", "59");
        assertEquals(1, low.exit());
        assertTrue(low.err().contains("interval must be >= 60s (got 59)"), low.err());
        assertFalse(Files.exists(wd.tickIntervalConfig()));

        Files.createDirectories(wd.tickLast().getParent());
        Files.writeString(wd.tickLast(), "12345");
        var ok = h.run("tick", "enable", "120");
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("120", Files.readString(wd.tickIntervalConfig()).strip());
        assertFalse(Files.exists(wd.tickLast()), "a stale last-tick must not delay the first status tick");

        assertTrue(h.run("tick", "disable").out().contains("status ticks disabled"));
        assertFalse(Files.exists(wd.tickIntervalConfig()));
        assertTrue(h.run("tick", "disable").out().contains("were not enabled"));
    }

    @Test
    void requestDropsATickRequestFromAgentinfinityIntoAgent0sInbox() {
        wd();
        var r = h.run("tick", "request");
        assertEquals(0, r.exit(), r.err());
        var inbox = new Inbox(h.paths(), AgentId.AGENT0);
        assertEquals(1, inbox.pending().size());
        var env = ((Inbox.Ready) inbox.read(inbox.pending().get(0))).envelope();
        assertEquals("agentinfinity", env.from());
        assertEquals("tick-request", env.kind());
        assertTrue(env.text().contains("Status tick"), env.text());
    }

    @Test
    void paneEnvCarriesNetskyStateButNotTheCallersIdentity() {
        h.withEnv("AGENT_N", "3").withEnv("NETSKY_TICKER_INTERVAL_S", "5").withEnv("SECRET_UNRELATED", "x");
        var ctx = new CliContext(h.env(), System.out, System.err, System.in);
        var pane = ctx.paneEnv();
        assertEquals(h.home.toString(), pane.get("HOME"));
        assertEquals(h.tmuxTmp.toString(), pane.get("TMUX_TMPDIR"));
        assertEquals("5", pane.get("NETSKY_TICKER_INTERVAL_S"));
        assertFalse(pane.containsKey("AGENT_N"), "each pane sets its own AGENT_N");
        assertFalse(pane.containsKey("SECRET_UNRELATED"));
    }
}
