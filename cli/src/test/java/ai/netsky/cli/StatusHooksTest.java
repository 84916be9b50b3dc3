package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.HookStatus;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * status reads the hook status file as one more signal: three real tmux sessions with the same still,
 * ready screen are told apart only by their hooks — mid-turn (working), a permission notification
 * (waiting for input), and a file left by an earlier session (ignored: idle).
 */
class StatusHooksTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() { h.close(); }

    @Test
    void hooksTellAStillScreenMidTurnOrBlockedFromIdle() throws Exception {
        Tmux tmux = new Tmux(h.env());
        Files.createDirectories(h.paths().stateDir());
        Instant before = Instant.now().minusSeconds(3600);
        for (String a : new String[] {"agent1", "agent2", "agent3"}) {
            assertTrue(tmux.newSession(a, h.root, Map.of(), "echo 'claude ready'; exec sleep 600"));
            Files.writeString(h.paths().agentStateFile(AgentId.of(a), "runtime"), "claude\n");
            Files.writeString(h.paths().agentStateFile(AgentId.of(a), "ready"), "");
        }
        NetskyHarness.await("the three screens", Duration.ofSeconds(10),
                () -> tmux.capturePane("agent1").contains("ready") && tmux.capturePane("agent2").contains("ready") && tmux.capturePane("agent3").contains("ready"));
        var prompt = EnvelopeCodec.mapper().readTree("{\"session_id\":\"s\"}");
        HookStatus.record(h.paths(), AgentId.of("agent1"), HookStatus.Event.UserPromptSubmit, prompt, Instant.now());
        HookStatus.record(h.paths(), AgentId.of("agent2"), HookStatus.Event.Notification,
                EnvelopeCodec.mapper().readTree("{\"message\":\"Claude needs your permission to use Bash\",\"notification_type\":\"permission_prompt\"}"), Instant.now());
        HookStatus.record(h.paths(), AgentId.of("agent3"), HookStatus.Event.UserPromptSubmit, prompt, before);
        // First status run: no remembered screen hashes, and the screens are still — only the hooks differ.

        var r = h.run("status", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, JsonNode> by = new HashMap<>();
        for (JsonNode a : EnvelopeCodec.mapper().readTree(r.out()).path("data").path("agents")) by.put(a.path("agent").asString(), a);
        assertEquals("working", by.get("agent1").path("state").asString(), by.get("agent1").toString());
        assertTrue(by.get("agent1").path("why").asString().startsWith("mid-turn: prompt submitted at "), by.get("agent1").toString());
        assertEquals("waiting for input", by.get("agent2").path("state").asString(), by.get("agent2").toString());
        assertTrue(by.get("agent2").path("why").asString().endsWith(": Claude needs your permission to use Bash"), by.get("agent2").toString());
        assertEquals("idle", by.get("agent3").path("state").asString(), "a hook from before this session is no signal: " + by.get("agent3"));
    }
}
