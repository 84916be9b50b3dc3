package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.EnvelopeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** netsky setup and onboard, as a user runs them on a fresh machine. */
class SetupCommandTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** A PATH holding only tmux (the real one): no agent CLIs installed. */
    NetskyHarness bareMachine() throws Exception {
        Path bin = Files.createDirectories(h.base.resolve("bare-bin"));
        String tmux = new SetupChecks(new CliContext(h.env(), System.out, System.err, System.in)).which("tmux").orElseThrow().toString();
        Files.createSymbolicLink(bin.resolve("tmux"), Path.of(tmux));
        return h.withEnv("PATH", bin.toString());
    }

    static Map<String, JsonNode> checks(String json) {
        Map<String, JsonNode> m = new HashMap<>();
        EnvelopeCodec.mapper().readTree(json).get("data").get("checks").forEach(c -> m.put(c.get("name").asString(), c));
        return m;
    }

    @Test
    void missingAgentCliIsAFailureOnlyForTheConfiguredRuntime() throws Exception {
        bareMachine();
        var claudeRuntime = h.run("setup", "--json");
        assertEquals(1, claudeRuntime.exit(), claudeRuntime.out());
        var c = checks(claudeRuntime.out());
        assertEquals("fail", c.get("claude").get("status").asString());
        assertEquals("npm install -g @anthropic-ai/claude-code", c.get("claude").get("fix").asString());
        assertEquals("fail", c.get("claude_login").get("status").asString());
        assertEquals("warn", c.get("codex").get("status").asString());
        assertEquals("ok", c.get("tmux").get("status").asString());
        assertTrue(c.get("tmux").get("detail").asString().startsWith("tmux "), c.get("tmux").toString());
        assertEquals("warn", c.get("owner").get("status").asString());
        assertTrue(c.get("owner").get("fix").asString().startsWith("netsky onboard"));
        assertEquals("red", EnvelopeCodec.mapper().readTree(claudeRuntime.out()).get("status").asString());

        var stub = h.withEnv("AGENT_RUNTIME", "stub").run("setup");
        assertEquals(0, stub.exit(), stub.out());
        assertTrue(stub.out().contains("[netsky setup] warn  claude       claude not found on PATH (only needed for --type claude)"), stub.out());
        assertTrue(stub.out().contains("fix: npm install -g @anthropic-ai/claude-code"), stub.out());
        assertTrue(stub.out().strip().endsWith("; next: netsky up"), stub.out());
    }

    @Test
    void noTmuxIsAFailureWithTheInstallCommand() throws Exception {
        h.withEnv("PATH", Files.createDirectories(h.base.resolve("empty-bin")).toString()).withEnv("AGENT_RUNTIME", "stub");
        var r = h.run("setup", "--json");
        assertEquals(1, r.exit());
        assertEquals("sudo apt-get install tmux   (macOS: brew install tmux)", checks(r.out()).get("tmux").get("fix").asString());
    }

    @Test
    void realAgentClisAndAnApiKeyPass() throws Exception {
        Path tools = NetskyHarness.repoRoot().resolve("test-tools/node_modules/.bin");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(tools.resolve("claude")), "bin/test installs the npm test tools");
        h.withEnv("PATH", tools + ":" + System.getenv("PATH")).withEnv("ANTHROPIC_API_KEY", "sk-test");
        var r = h.run("setup", "--json");
        var c = checks(r.out());
        assertEquals("ok", c.get("claude").get("status").asString(), c.get("claude").toString());
        assertTrue(c.get("claude").get("detail").asString().contains("Claude Code"), c.get("claude").toString());
        assertEquals("ok", c.get("claude_login").get("status").asString());
        assertEquals("ok", c.get("codex").get("status").asString(), c.get("codex").toString());
        assertEquals("warn", c.get("codex_login").get("status").asString());
        Files.createDirectories(h.home.resolve(".codex"));
        Files.writeString(h.home.resolve(".codex/auth.json"), "{}");
        assertEquals("ok", checks(h.run("setup", "--json").out()).get("codex_login").get("status").asString());
    }

    @Test
    void fixAppliesWhatNetskyCanAndIsIdempotent() throws Exception {
        bareMachine().withEnv("AGENT_RUNTIME", "stub");
        Files.delete(h.root);
        var r = h.run("setup", "--fix", "--json");
        var c = checks(r.out());
        assertEquals("ok", c.get("state_dir").get("status").asString());
        assertEquals("ok", c.get("netsky_root").get("status").asString());
        assertTrue(Files.isRegularFile(h.root.resolve("AGENTS.md")) && Files.isSymbolicLink(h.root.resolve(".claude")), "init ran");
        assertEquals("ok", c.get("hooks").get("status").asString());
        assertTrue(Files.isRegularFile(h.home.resolve(".config/systemd/user/netsky-watchdog.timer"))
                || Files.isRegularFile(h.home.resolve("Library/LaunchAgents/dev.dkdc.netsky-watchdog.plist")), "OS timer files written");
        String settings = Files.readString(h.root.resolve(".claude/settings.json"));
        assertEquals(0, h.run("setup", "--fix").exit());
        assertEquals(settings, Files.readString(h.root.resolve(".claude/settings.json")));
    }

    @Test
    void onboardAsksValidatesAndWritesTheOwnerFields() throws Exception {
        bareMachine().withEnv("AGENT_RUNTIME", "stub");
        Files.writeString(h.root.resolve("netsky.toml"), "# keep me\n[owner]\nname = \"Alex\"\n");
        var r = h.runWithStdin("Sam\n+15551234567\nnot-an-email\nsam@example.com\n\n".getBytes(), "onboard");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("Your name (how agents address you) [Alex]: "), r.out());
        assertTrue(r.out().contains("not accepted: 'not-an-email' is not an email address"), r.out());
        assertEquals("# keep me\n[owner]\nname = \"Sam\"\nimessage = \"+15551234567\"\nemail = \"sam@example.com\"\n",
                Files.readString(h.root.resolve("netsky.toml")));
        assertTrue(r.out().contains("[netsky onboard] ok    owner        Sam via owner.imessage=+15551234567, owner.email=sam@example.com"), r.out());

        var again = h.runWithStdin(new byte[0], "onboard");
        assertEquals(0, again.exit());
        assertEquals("# keep me\n[owner]\nname = \"Sam\"\nimessage = \"+15551234567\"\nemail = \"sam@example.com\"\n",
                Files.readString(h.root.resolve("netsky.toml")), "stdin at EOF keeps everything");

        var bad = h.run("onboard", "--no-input", "--imessage", "555");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("is not an iMessage handle"), bad.err());
        var json = h.run("onboard", "--json", "--name", "Kim");
        var data = EnvelopeCodec.mapper().readTree(json.out()).get("data");
        assertEquals("owner.name", data.get("written").get(0).get("key").asString());
        assertTrue(data.get("written").get(0).get("changed").asBoolean());
        assertTrue(Files.readString(h.root.resolve("netsky.toml")).contains("name = \"Kim\""));
    }
}
