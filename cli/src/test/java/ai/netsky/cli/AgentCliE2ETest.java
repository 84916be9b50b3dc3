package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.testkit.RecordedRequest;
import ai.netsky.testkit.ScriptedAnthropicServer;
import ai.netsky.testkit.ScriptedOpenAiServer;
import ai.netsky.testkit.TestTools;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code and Codex CLIs (npm, test-tools) spawned by `netsky agent` in real tmux against
 * scripted model servers on loopback: each comes up past every start-up dialog, connects the agent
 * channel MCP server from its per-agent config (its tools are offered to the model), and a scripted
 * tool call through that server lands an envelope in agent0's inbox.
 */
class AgentCliE2ETest {
    static NetskyHarness world() {
        NetskyHarness h = LifecycleWorld.create();
        h.withEnv("PATH", TestTools.claude().getParent() + ":" + h.env().get("PATH"));
        h.withEnv("NETSKY_READY_TIMEOUT_S", "45");
        return h;
    }

    static String screen(Tmux tmux, String s) {
        try {
            return tmux.captureWithHistory(s, 100);
        } catch (RuntimeException e) {
            return "(no pane: " + e.getMessage() + ")";
        }
    }

    @Test
    void claudeCodeComesUpPastEveryDialogWithItsAgentServerConnected() throws Exception {
        try (var h = world(); var model = ScriptedAnthropicServer.start()) {
            String key = "sk-ant-test-" + Long.toHexString(System.nanoTime()) + "abcdefghij";
            h.withEnv("ANTHROPIC_BASE_URL", model.baseUrl()).withEnv("ANTHROPIC_API_KEY", key);
            model.enqueue(ScriptedAnthropicServer.Turn.toolUse("mcp__agent__send", Map.of("to", "agent0", "text", "hello from claude agent1")),
                    ScriptedAnthropicServer.Turn.text("sent it"));
            Files.createDirectories(h.root);
            Tmux tmux = new Tmux(h.env());
            var r = h.run("agent", "1", "--type", "claude");
            assertEquals(0, r.exit(), r.out() + r.err() + "\nscreen:\n" + screen(tmux, "agent1"));
            assertTrue(r.out().contains("[netsky agent] spawned 'agent1' (claude"), r.out());
            assertTrue(r.err().contains("agent1 ready"), r.err());
            assertTrue(r.err().contains("the bypass-permissions warning"), "answered from capture-pane: " + r.err());
            assertTrue(Files.exists(h.paths().agentStateFile(AgentId.of("agent1"), "ready")));
            String claudeJson = Files.readString(h.home.resolve(".claude.json"));
            assertTrue(claudeJson.contains(key.substring(key.length() - 20)), "API key approved by pre-seeding");
            assertEquals("unavailable", Files.readString(h.paths().agentStateFile(AgentId.of("agent1"), "channel-push")).strip(),
                    "API-key auth: Claude Code says channels are unavailable, so delivery must nudge");

            tmux.sendLiteral("agent1", "send agent0 a hello");
            Thread.sleep(300);
            tmux.sendKeys("agent1", "Enter");
            RecordedRequest withTools;
            try {
                // Claude Code defers MCP tools (ToolSearch): their names travel in the request, not in tools[].
                withTools = model.awaitRequest("a main-loop request naming the agent server's tools", Duration.ofSeconds(30),
                        q -> q.offersTools() && q.body().contains("mcp__agent__reply"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ntools offered: " + model.messageRequests().stream().map(RecordedRequest::toolNames).toList()
                        + "\nscreen:\n" + screen(tmux, "agent1"), e);
            }
            NetskyHarness.await("the scripted mcp__agent__send to land in agent0's inbox", Duration.ofSeconds(30),
                    () -> LifecycleWorld.allMail(h, "agent0").contains("hello from claude agent1"));
            assertTrue(LifecycleWorld.allMail(h, "agent0").contains("\"from\":\"agent1\""));
        }
    }

    @Test
    void codexComesUpPastItsTrustDialogWithItsAgentServerConnected() throws Exception {
        try (var h = world(); var model = ScriptedOpenAiServer.start()) {
            Files.createDirectories(h.home.resolve(".codex"));
            Files.writeString(h.home.resolve(".codex/config.toml"), model.codexConfigToml("gpt-5.4", "SCRIPTED_OPENAI_KEY"));
            h.withEnv("SCRIPTED_OPENAI_KEY", "sk-test");
            // A git checkout makes Codex ask whether to trust the folder.
            Files.createDirectories(h.root);
            assertEquals(0, new ProcessBuilder("git", "init", "-q", h.root.toString()).start().waitFor());
            // Codex offers each MCP server's tools as one namespace entry (mcp__agent: reply, send).
            model.respondWith(req -> {
                if (!req.toolNames().contains("mcp__agent") || !ScriptedOpenAiServer.functionOutputs(req).isEmpty()) return null;
                return ScriptedOpenAiServer.Turn.namespacedCall("mcp__agent", "send", Map.of("to", "agent0", "text", "hello from codex agent1"));
            });
            Tmux tmux = new Tmux(h.env());
            var r = h.run("agent", "1", "--type", "codex");
            assertEquals(0, r.exit(), r.out() + r.err() + "\nscreen:\n" + screen(tmux, "agent1"));
            assertTrue(r.out().contains("[netsky agent] spawned 'agent1' (codex"), r.out());
            assertTrue(r.err().contains("answered: the folder-trust dialog"), r.err() + "\nscreen:\n" + screen(tmux, "agent1"));
            // Codex sends the first turn (the rendered prompt) before its MCP servers finish starting; the next turn has them.
            RecordedRequest withTools = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (withTools == null && System.nanoTime() < deadline) {
                tmux.sendLiteral("agent1", "send agent0 a hello");
                Thread.sleep(300);
                tmux.sendKeys("agent1", "Enter");
                try {
                    withTools = model.awaitRequest("a request offering the agent server's tools", Duration.ofSeconds(8),
                            q -> q.toolNames().contains("mcp__agent"));
                } catch (AssertionError notYet) {
                    // the server was still starting; ask again
                }
            }
            assertNotNull(withTools, "Codex never offered the agent MCP server's tools; requests: "
                    + model.responseRequests().stream().map(RecordedRequest::toolNames).toList() + "\nscreen:\n" + screen(tmux, "agent1"));
            assertTrue(withTools.body().contains("\"name\":\"send\""), "the namespace lists send");
            try {
                NetskyHarness.await("the scripted agent send to land in agent0's inbox", Duration.ofSeconds(30),
                        () -> LifecycleWorld.allMail(h, "agent0").contains("hello from codex agent1"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nscreen:\n" + screen(tmux, "agent1"), e);
            }
        }
    }
}
