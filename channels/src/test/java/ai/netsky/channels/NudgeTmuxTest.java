package ai.netsky.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyPaths;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nudge delivery into a real tmux pane on a private tmux server. */
class NudgeTmuxTest {
    @TempDir
    Path home;
    Path tmuxTmp;
    Tmux tmux;
    Map<String, String> env;

    @BeforeEach
    void server() throws Exception {
        tmuxTmp = Files.createTempDirectory(Path.of("/tmp"), "ntc-"); // short: tmux socket paths are limited
        env = Map.of("TMUX_TMPDIR", tmuxTmp.toString(), "TERM", "xterm-256color", "LANG", "C.UTF-8");
        tmux = new Tmux(env);
    }

    @AfterEach
    void stop() throws Exception {
        tmux.raw("kill-server");
        try (var walk = Files.walk(tmuxTmp)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** A pane that is "busy" (shows esc to interrupt, captures input into early.txt) for a while, then reads lines into got.txt. */
    private void agentPane(String session, int busySeconds) {
        String script = "printf 'Working (esc to interrupt)\\n'; timeout " + busySeconds + " cat > early.txt; clear; echo ready;"
                + " while IFS= read -r l; do printf '%s\\n' \"$l\" >> got.txt; done";
        runInPane(session, script);
    }

    /** Runs {@code script} (from a file, so no quoting games) as the pane's only program. */
    private void runInPane(String session, String script) {
        try {
            Path f = Files.writeString(home.resolve(session + ".sh"), script + "\n");
            assertTrue(tmux.newSession(session, home, Map.of(), "bash --norc --noprofile " + f));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String waitForFile(Path f, String needle, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(f)) {
                String s = Files.readString(f);
                if (s.contains(needle)) return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + needle + "' in " + f + " within " + timeout + "; pane:\n" + tmux.capturePane("agent1"));
    }

    @Test
    void pastesTheEscapedChannelBlockOnlyOnceThePaneIsIdleAndPressesEnter() throws Exception {
        agentPane("agent1", 2);
        Envelope env = Envelope.now("agent0", "ping <b>&\"x\"").withId("n1").withKind("brief");
        NudgeDelivery nudge = new NudgeDelivery(PaneOps.tmux(tmux), "agent1", Duration.ofSeconds(15), Duration.ofSeconds(5), Duration.ofMillis(150));
        nudge.deliver(env);
        String got = waitForFile(home.resolve("got.txt"), "</channel>", Duration.ofSeconds(10));
        assertEquals(NudgeDelivery.render(env) + "\n", got);
        assertTrue(got.contains("ping &lt;b&gt;&amp;&quot;x&quot;"), got);
        assertTrue(got.startsWith("<channel source=\"agent\" from=\"agent0\" chat_id=\"agent0\" id=\"n1\" kind=\"brief\" ts=\""), got);
        assertEquals("", Files.readString(home.resolve("early.txt")), "nothing was typed while the agent was busy");
    }

    @Test
    void aMissingPaneIsNotDeliveredAndTheEnvelopeWaits() {
        NudgeDelivery nudge = NudgeDelivery.standard(PaneOps.tmux(tmux), "agent9");
        DeliverySink.NotDelivered not = org.junit.jupiter.api.Assertions.assertThrows(DeliverySink.NotDelivered.class,
                () -> nudge.deliver(Envelope.now("agent0", "x")));
        assertTrue(not.getMessage().contains("no tmux session 'agent9'"), not.getMessage());
        assertTrue(!not.fatal());
    }

    @Test
    void theServerInNudgeModeDeliversTheInboxIntoTheAgentsPane() throws Exception {
        agentPane("agent1", 1);
        NetskyPaths paths = new NetskyPaths(home);
        new EnvelopeWriter(paths).send(AgentId.of("agent1"), Envelope.now("agent0", "first").withId("a"));
        new EnvelopeWriter(paths).send(AgentId.of("agent1"), Envelope.now("agent0", "second").withId("b"));
        try (ServerProcess server = ServerProcess.start(home, "agent1", "nudge", env)) {
            server.client.handshake();
            String got = waitForFile(home.resolve("got.txt"), ">second</channel>", Duration.ofSeconds(30));
            String[] lines = got.split("\n");
            assertEquals(2, lines.length, got);
            assertTrue(lines[0].endsWith(">first</channel>") && lines[1].endsWith(">second</channel>"), got);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (AgentChannelProcessTest.countFiles(paths.processed(AgentId.of("agent1"))) < 2 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(2, AgentChannelProcessTest.countFiles(paths.processed(AgentId.of("agent1"))), server.stderrText());
            assertEquals(0, AgentChannelProcessTest.countFiles(paths.inbox(AgentId.of("agent1"))));
        }
    }

    @Test
    void autoModeNudgesAClaudePaneThatSaysChannelsAreUnavailable() throws Exception {
        String script = "printf 'Channels are not currently available\\n'; while IFS= read -r l; do printf '%s\\n' \"$l\" >> got.txt; done";
        runInPane("agent1", script);
        NetskyPaths paths = new NetskyPaths(home);
        paths.ensureDir(paths.stateDir());
        Files.writeString(paths.agentStateFile(AgentId.of("agent1"), "runtime"), "claude\n");
        new EnvelopeWriter(paths).send(AgentId.of("agent1"), Envelope.now("agent0", "auto ping"));
        try (ServerProcess server = ServerProcess.start(home, "agent1", "auto", env)) {
            server.client.handshake();
            waitForFile(home.resolve("got.txt"), ">auto ping</channel>", Duration.ofSeconds(30));
            assertTrue(server.client.drainQuiet(McpChannelServer.CHANNEL_NOTIFICATION, Duration.ofMillis(300)).isEmpty(), "not pushed as well");
        }
    }
}
