package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.HookStatus;
import ai.netsky.testkit.ScriptedAnthropicServer;
import ai.netsky.testkit.TestTools;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hooks `netsky hooks install` writes, run by the real Claude Code CLI (npm) against a scripted
 * model server: a one-turn `claude -p` in the netsky root fires SessionStart, UserPromptSubmit and
 * Stop, each calling back bin/netsky, which records the agent's state file.
 */
class ClaudeHooksIT {
    @Test
    void realClaudeCodeRunsTheHooksAndTheStatusFileFollowsTheTurn() {
        try (var h = new NetskyHarness(); var model = ScriptedAnthropicServer.start()) {
            model.enqueue(ScriptedAnthropicServer.Turn.text("hello from the scripted model"));
            h.withEnv("NETSKY_BIN", NetskyHarness.netskyBin().toString());
            var install = h.exec(Duration.ofSeconds(60), "hooks", "install");
            assertEquals(0, install.exitCode(), install.stderr());

            Map<String, String> pane = new HashMap<>(h.env());
            pane.put("AGENT_N", "1");
            pane.put("ANTHROPIC_BASE_URL", model.baseUrl());
            pane.put("ANTHROPIC_API_KEY", "sk-ant-test-hooks");
            pane.put("DISABLE_AUTOUPDATER", "1");
            var r = BoundedProcess.run(List.of(TestTools.claude().toString(), "-p", "say hello"), Duration.ofSeconds(120), pane, h.root, null);
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(r.stdout().contains("hello from the scripted model"), r.stdout());

            HookStatus s = HookStatus.read(h.paths(), AgentId.of("agent1")).orElseThrow(
                    () -> new AssertionError("no hook status file; Claude Code output:\n" + r.stdout() + r.stderr()));
            assertEquals(List.of("SessionStart", "UserPromptSubmit", "Stop"), List.copyOf(s.events().keySet()), s.toJson().toString());
            assertEquals("Stop", s.event());
            assertEquals("idle", s.state(), "the turn ended");
            assertNotNull(s.sessionId(), "Claude Code's payload reached the hook");
            assertEquals(h.root.toString(), s.cwd());
        }
    }
}
