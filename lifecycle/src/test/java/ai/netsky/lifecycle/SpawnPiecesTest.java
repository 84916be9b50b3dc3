package ai.netsky.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.Config;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt rendering, the per-agent MCP config, Claude pre-seeding and the pane command lines. */
class SpawnPiecesTest {
    @TempDir Path dir;

    @Test
    void everyRolePromptRendersWithoutLeftoverPlaceholders() {
        for (AgentId a : List.of(AgentId.AGENT0, AgentId.of("agent3"), AgentId.AGENTINFINITY)) {
            String p = Prompts.render(Prompts.templateFor(a), Prompts.valuesFor(a, "/r", "Alex"));
            assertFalse(p.contains("{{"), a + ": " + p);
            assertTrue(p.contains(a.name()), a + " named in its prompt");
        }
        assertTrue(Prompts.render(Prompts.templateFor(AgentId.of("agent3")), Prompts.valuesFor(AgentId.of("agent3"), "/r", "Alex")).contains("- agent3"));
        assertTrue(Prompts.render(Prompts.load("agentinit"), Map.of("session", "agentinfinity")).contains("tmux capture-pane -p -t agentinfinity"));
        assertEquals("infinity", Prompts.agentN(AgentId.AGENTINFINITY));
        assertEquals("7", Prompts.agentN(AgentId.of("agent7")));
    }

    @Test
    void anUnknownPlaceholderIsAnErrorAndValuesAreLiteral() {
        var e = assertThrows(NetskyException.class, () -> Prompts.render("hi {{ nope }}", Map.of()));
        assertTrue(e.getMessage().contains("{{ nope }}"));
        assertEquals("a $1 \\ {{ n }} b", Prompts.render("a {{ n }} b", Map.of("n", "$1 \\ {{ n }}")));
    }

    @Test
    void mcpConfigIsTheSharedContractShapeAndRoundTrips() {
        var servers = McpConfig.serversFor(AgentId.of("agent2"), "/opt/netsky/bin/netsky", Map.of("HOME", "/h", "NETSKY_DIR", "/r", "SECRET", "x"));
        assertEquals(List.of("agent"), List.copyOf(servers.keySet()), "clones get the bus only");
        String json = McpConfig.toJson(servers);
        assertTrue(json.contains("\"command\" : \"/opt/netsky/bin/netsky\""), json);
        assertTrue(json.contains("\"args\" : [ \"io\", \"serve\", \"--source\", \"agent\" ]"), json);
        assertTrue(json.contains("\"AGENT_N\" : \"2\""), json);
        assertFalse(json.contains("SECRET"), "only netsky's own variables are copied");
        assertEquals(servers, McpConfig.parse(json));
        assertEquals("infinity", McpConfig.serversFor(AgentId.AGENTINFINITY, "n", Map.of()).get("agent").env().get("AGENT_N"));
    }

    @Test
    void claudeSeedKeepsTheFileAndAddsTrustAndTheApprovedKey() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".claude.json"), "{\"theme\":\"dark\",\"projects\":{\"/other\":{\"x\":1}}}");
        ClaudeSeed.seed(home, Path.of("/work/root"), "sk-ant-0123456789abcdefghijKLMNOPQRST");
        ClaudeSeed.seed(home, Path.of("/work/root"), "sk-ant-0123456789abcdefghijKLMNOPQRST");
        String s = Files.readString(home.resolve(".claude.json"));
        assertTrue(s.contains("\"theme\" : \"dark\"") && s.contains("\"/other\""), s);
        assertTrue(s.contains("\"hasTrustDialogAccepted\" : true") && s.contains("\"hasCompletedOnboarding\" : true"), s);
        assertEquals(1, s.split("abcdefghijKLMNOPQRST", -1).length - 1, "approved once: " + s);
        Files.writeString(home.resolve(".claude.json"), "{not json");
        var e = assertThrows(NetskyException.class, () -> ClaudeSeed.seed(home, Path.of("/r"), null));
        assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
    }

    private SpawnRequest request(AgentId a, Map<String, String> env) {
        NetskyPaths paths = new NetskyPaths(dir.resolve("home"));
        return new SpawnRequest(a, paths, dir.resolve("root"), paths.promptsDir().resolve(a + ".md"), paths.mcpConfigDir().resolve(a + ".json"),
                "/opt/it's/netsky", env);
    }

    @Test
    void paneCommandsQuoteEveryPathAndReadThePromptFromItsFile() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String cli : List.of("claude", "codex")) {
            Files.writeString(bin.resolve(cli), "#!/bin/sh\n");
            bin.resolve(cli).toFile().setExecutable(true);
        }
        Map<String, String> env = Map.of("PATH", bin.toString(), "HOME", dir.resolve("home").toString());
        Config config = Config.load(dir.resolve("absent.toml"), Map.of("AGENT_CLAUDE_MODEL", "sonnet"));
        String claude = new ClaudeRuntime(config).paneCommand(request(AgentId.of("agent1"), env));
        assertTrue(claude.startsWith("exec '" + bin.resolve("claude") + "' --mcp-config '"), claude);
        assertTrue(claude.contains("--strict-mcp-config --dangerously-load-development-channels server:agent --dangerously-skip-permissions"), claude);
        assertTrue(claude.contains("--append-system-prompt \"$(cat \"$NETSKY_PROMPT_FILE\")\" --model 'sonnet'"), claude);
        String codex = new CodexRuntime(config).paneCommand(request(AgentId.of("agent1"), env));
        assertTrue(codex.contains("-s danger-full-access -a never -m 'gpt-5.4'"), codex);
        assertTrue(codex.contains("-c 'mcp_servers.agent.command=\"/opt/it'\\''s/netsky\"'"), "quote inside a TOML string inside sh quotes: " + codex);
        assertTrue(codex.contains("-c 'mcp_servers.agent.args=[\"io\",\"serve\",\"--source\",\"agent\"]'"), codex);
        assertTrue(codex.endsWith(" \"$(cat \"$NETSKY_PROMPT_FILE\")\""), codex);
        assertEquals(dir.resolve("home/.netsky/channels/agent/agent1").toString(),
                new CodexRuntime(config).paneEnv(request(AgentId.of("agent1"), env)).get("CODEX_CHANNEL_DIR"));
        String stub = new StubRuntime().paneCommand(request(AgentId.of("agent1"), env));
        assertTrue(stub.startsWith("exec '/opt/it'\\''s/netsky' stub-agent --mcp-config '"), stub);
    }

    @Test
    void startUpScreensAreRecognised() {
        assertTrue(ClaudeRuntime.atPrompt("❯ \n  ⏵⏵ bypass permissions on (shift+tab to cycle)"));
        assertFalse(ClaudeRuntime.atPrompt("Do you want to use this API key?\n ❯ No (recommended)"));
        assertFalse(CodexRuntime.atPrompt("› Ask Codex to do anything\n  ? for shortcuts"), "the splash before the trust dialog");
        assertTrue(CodexRuntime.atPrompt("› Ask Codex to do anything\n  gpt-5.4 default · ~/r\n  ← for agents · ? for shortcuts"));
        var apiKey = ClaudeRuntime.DIALOGS.stream().filter(d -> d.name().contains("API-key")).findFirst().orElseThrow();
        assertTrue(apiKey.shownIn("Detected a custom API key in your environment\n Do you want to use this API key?"));
        assertEquals(List.of("Up", "Enter"), apiKey.keys(), "'No (recommended)' is preselected");
    }
}
