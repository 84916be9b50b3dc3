package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.HookStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** setup, onboard, config, hooks, gates, nap, test, task and session through the real launcher, as a user types them. */
class CommandsIT {
    static final Duration T = Duration.ofSeconds(60);

    static BoundedProcess.Result ok(BoundedProcess.Result r) {
        assertEquals(0, r.exitCode(), String.join(" ", r.argv()) + "\n" + r.stdout() + r.stderr());
        return r;
    }

    @Test
    void firstRunConfigAndHooksAsClaudeCodeCallsThem() throws Exception {
        try (var h = new NetskyHarness()) {
            h.withEnv("AGENT_RUNTIME", "stub");
            Files.writeString(h.home.resolve(".env"), "export NETSKY_OWNER_EMAIL=\"owner@example.com\"\n");
            var setup = h.exec(T, "setup", "--json");
            var checks = new HashMap<String, String>();
            EnvelopeCodec.mapper().readTree(setup.stdout()).get("data").get("checks").forEach(c -> checks.put(c.get("name").asString(), c.get("status").asString()));
            assertEquals("ok", checks.get("tmux"), setup.stdout());
            assertEquals("ok", checks.get("owner"), "~/.env reached the command: " + setup.stdout());

            var onboard = ok(BoundedProcess.run(List.of(NetskyHarness.netskyBin().toString(), "onboard"), T, h.env(), h.root,
                    "Ada\n\n\n\n".getBytes(StandardCharsets.UTF_8)));
            assertTrue(onboard.stdout().contains("[netsky onboard] set owner.name = \"Ada\""), onboard.stdout());
            ok(h.exec(T, "config", "set", "tuning.hang_threshold_s", "900"));
            assertEquals("900\n", ok(h.exec(T, "config", "get", "tuning.hang_threshold_s")).stdout());

            ok(h.exec(T, "hooks", "install"));
            // Run each hook's command exactly as Claude Code does: through a shell, payload on stdin, AGENT_N from the pane.
            var settings = EnvelopeCodec.mapper().readTree(Files.readString(h.root.resolve(".claude/settings.json")));
            Map<String, String> pane = new HashMap<>(h.env());
            pane.put("AGENT_N", "1");
            for (String event : List.of("SessionStart", "UserPromptSubmit")) {
                String cmd = settings.get("hooks").get(event).get(0).get("hooks").get(0).get("command").asString();
                var r = BoundedProcess.run(List.of("bash", "-c", cmd), T, pane, h.root,
                        ("{\"session_id\":\"abc\",\"hook_event_name\":\"" + event + "\",\"cwd\":\"" + h.root + "\"}").getBytes(StandardCharsets.UTF_8));
                assertEquals(0, r.exitCode(), r.stderr());
                assertEquals("", r.stdout(), "a hook's stdout would land in the agent's context");
            }
            var s = HookStatus.read(h.paths(), AgentId.of("agent1")).orElseThrow();
            assertEquals("working", s.state());
            assertEquals("abc", s.sessionId());
            assertTrue(ok(h.exec(T, "hooks", "status")).stdout().contains("agent1         working  after UserPromptSubmit"));
        }
    }

    @Test
    void tasksSessionsNapsGatesAndTests() throws Exception {
        try (var h = new NetskyHarness()) {
            assertEquals("[netsky task] added task 1: review the PR [open]\n", ok(h.exec(T, "task", "add", "review the PR")).stdout());
            assertTrue(ok(h.exec(T, "task", "done", "1")).stdout().contains("[done]"));
            ok(h.exec(T, "session", "note", "--agent", "agent2", "took the review"));
            assertTrue(ok(h.exec(T, "session", "list")).stdout().contains("took the review"));

            assertTrue(ok(h.exec(T, "nap", "10m", "--reason", "CI")).stdout().startsWith("[netsky nap] agent0 naps for 10m until "));
            ok(h.exec(T, "nap", "cancel"));
            assertEquals(1, new ai.netsky.core.Inbox(h.paths(), AgentId.AGENT0).pending().size(), "cancel woke agent0");

            Files.createDirectories(h.root.resolve("tests/unit"));
            Files.writeString(h.root.resolve("tests/unit/test-netsky.sh"), "\"$NETSKY_BIN\" --version | grep -q 'netsky 0.1.7'\n");
            var t = ok(h.exec(T, "test", "unit")); // cwd is the root: tests/ is found relative to it
            assertTrue(t.stdout().contains("unit/test-netsky.sh") && t.stdout().contains("1 passed, 0 failed"), t.stdout());
        }
    }
}
