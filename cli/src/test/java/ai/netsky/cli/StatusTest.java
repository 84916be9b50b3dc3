package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.store.Event;
import ai.netsky.store.EventStore;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * status against real tmux sessions whose scripts behave like each state: one keeps printing
 * (working), one printed its banner and waits (idle), one shows a permission dialog (blocked), one
 * exited (dead, kept by remain-on-exit), and one whose session is gone.
 */
class StatusTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() { h.close(); }

    @Test
    void workingIdleBlockedOnDialogAndDeadAgentsAreToldApart() throws Exception {
        Tmux tmux = new Tmux(h.env());
        Files.createDirectories(h.paths().stateDir());
        Map<String, String> scripts = Map.of(
                "agent0", "while :; do date +%s%N; sleep 0.1; done",
                "agent1", "echo 'stub agent1 ready'; exec sleep 600",
                "agent2", "printf 'Bash command: rm -rf build\\n\\nDo you want to proceed?\\n> 1. Yes\\n  2. No\\n'; exec sleep 600",
                "agent3", "echo 'bye'; exit 3");
        for (var e : scripts.entrySet()) {
            assertTrue(tmux.newSession(e.getKey(), h.root, Map.of(), e.getValue()));
            Files.writeString(h.paths().agentStateFile(AgentId.of(e.getKey()), "runtime"), "stub\n");
            Files.writeString(h.paths().agentStateFile(AgentId.of(e.getKey()), "ready"), "");
        }
        Files.writeString(h.paths().agentStateFile(AgentId.of("agent4"), "runtime"), "claude\n"); // spawned once, session gone
        NetskyHarness.await("agent3's pane to exit", Duration.ofSeconds(10), () -> tmux.paneState("agent3").dead());
        NetskyHarness.await("agent1's and agent2's screens", Duration.ofSeconds(10),
                () -> tmux.capturePane("agent1").contains("ready") && tmux.capturePane("agent2").contains("2. No"));
        new EnvelopeWriter(h.paths()).send(AgentId.of("agent1"), Envelope.now("agent0", "ping").withTo("agent1"));
        try (EventStore s = new EventStore(h.paths(), Map.of())) {
            s.record(new Event.EnvelopeEvent(Instant.now(), Event.EnvelopeKind.SENT, "e1", "agent0", "agent1", null, "file", "ping", null));
            s.record(new Event.Restart(Instant.now(), "agent3", "crash-recovery", "ready", null));
            s.record(new Event.TokenUsage(Instant.now(), "agent0", "s", "m", "claude-sonnet-4", 1000, 500, 0, 0, 0.0105, "f"));
        }

        var r = h.run("status", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = EnvelopeCodec.mapper().readTree(r.out());
        Map<String, JsonNode> by = new HashMap<>();
        for (JsonNode a : j.path("data").path("agents")) by.put(a.path("agent").asString(), a);
        assertEquals(List.of("agent0", "agent1", "agent2", "agent3", "agent4"), j.path("data").path("agents").valueStream().map(a -> a.path("agent").asString()).toList());
        assertEquals("working", by.get("agent0").path("state").asString(), by.get("agent0").toString());
        assertEquals("idle", by.get("agent1").path("state").asString(), by.get("agent1").toString());
        assertEquals("waiting for input", by.get("agent2").path("state").asString(), by.get("agent2").toString());
        assertTrue(by.get("agent2").path("why").asString().contains("Do you want to proceed?"));
        assertEquals("dead", by.get("agent3").path("state").asString());
        assertTrue(by.get("agent3").path("why").asString().contains("status 3"), by.get("agent3").toString());
        assertEquals("dead", by.get("agent4").path("state").asString());
        assertEquals("no tmux session", by.get("agent4").path("why").asString());
        assertEquals(1, by.get("agent1").path("inbox").asInt());
        assertTrue(by.get("agent1").path("why").asString().contains("1 envelope(s) waiting"));
        assertTrue(by.get("agent1").path("last_message").asString().contains("agent0→agent1 ping"), by.get("agent1").toString());
        assertEquals(1, by.get("agent3").path("restarts").asInt());
        assertEquals(1500, by.get("agent0").path("tokens_today").asInt());
        assertEquals("stub", by.get("agent0").path("runtime").asString());
        assertTrue(by.get("agent0").path("uptime_s").asLong() >= 0);
        assertEquals("1 working, 1 idle, 1 waiting for input, 2 dead", j.path("summary").asString().replaceFirst("^5 agent\\(s\\): ", ""), j.path("summary").asString());

        // An agent that has not given its ready signal and sits still is waiting too (e.g. an unknown start-up prompt).
        Files.delete(h.paths().agentStateFile(AgentId.of("agent1"), "ready"));
        var text = h.run("status");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("agent1 ") && l.contains("waiting for input")), text.out());
        assertTrue(text.out().contains("no ready signal and the screen is still"), text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("agent0 ") && l.contains("working") && l.contains("1.5k") && l.contains("$0.01")), text.out());

        assertEquals(1, h.run("status", "--watch", "--json").exit());
        var watch = h.run("status", "--watch", "--frames", "2", "--interval", "1", "--sample-ms", "100");
        assertEquals(0, watch.exit(), watch.err());
        assertEquals(2, watch.out().split("\u001b\\[H\u001b\\[2J", -1).length - 1, "two frames");
    }
}
