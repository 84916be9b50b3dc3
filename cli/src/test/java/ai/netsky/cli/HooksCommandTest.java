package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.HookStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** netsky hooks install|uninstall|status|emit, as a user (and Claude Code) runs them. */
class HooksCommandTest {
    final NetskyHarness h = new NetskyHarness().withEnv("NETSKY_BIN", "/opt/net sky/bin/netsky");

    @AfterEach
    void close() {
        h.close();
    }

    Path settings() { return h.root.resolve(".claude/settings.json"); }

    static final String USERS = """
            {
              "model": "opus",
              "permissions": {"allow": ["Bash(ls:*)"]},
              "hooks": {
                "Stop": [{"hooks": [{"type": "command", "command": "say done"}]}],
                "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "audit"}]}]
              }
            }
            """;

    @Test
    void installMergesIdempotentlyAndUninstallRestoresTheUsersSettings() throws Exception {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), USERS);
        assertEquals(1, h.run("hooks", "status").exit(), "missing before install");
        var r = h.run("hooks", "install");
        assertEquals(0, r.exit(), r.err());
        var s = EnvelopeCodec.mapper().readTree(Files.readString(settings()));
        assertEquals("opus", s.get("model").asString());
        assertEquals("Bash(ls:*)", s.get("permissions").get("allow").get(0).asString());
        assertEquals("audit", s.get("hooks").get("PreToolUse").get(0).get("hooks").get(0).get("command").asString());
        var stop = s.get("hooks").get("Stop");
        assertEquals(2, stop.size());
        assertEquals("say done", stop.get(0).get("hooks").get(0).get("command").asString());
        assertEquals("'/opt/net sky/bin/netsky' hooks emit Stop", stop.get(1).get("hooks").get(0).get("command").asString());
        for (String e : new String[] {"SessionStart", "UserPromptSubmit", "Notification"}) {
            assertEquals("'/opt/net sky/bin/netsky' hooks emit " + e, s.get("hooks").get(e).get(0).get("hooks").get(0).get("command").asString());
        }
        String once = Files.readString(settings());
        var again = h.run("hooks", "install");
        assertTrue(again.out().contains("already installed"), again.out());
        assertEquals(once, Files.readString(settings()));
        var st = h.run("hooks", "status");
        assertEquals(0, st.exit(), st.out());
        assertTrue(st.out().contains("Notification     installed"), st.out());
        assertEquals(0, h.run("hooks", "uninstall").exit());
        assertEquals(EnvelopeCodec.mapper().readTree(USERS), EnvelopeCodec.mapper().readTree(Files.readString(settings())));
        assertTrue(h.run("hooks", "uninstall").out().contains("not installed"));
    }

    @Test
    void aMovedBinaryShowsStaleAndInstallRepairsIt() {
        h.run("hooks", "install");
        var moved = h.withEnv("NETSKY_BIN", "/usr/local/bin/netsky");
        var st = moved.run("hooks", "status", "--json");
        assertEquals(1, st.exit());
        var json = EnvelopeCodec.mapper().readTree(st.out());
        assertEquals("stale", json.get("data").get("hooks").get("Stop").get("state").asString());
        moved.run("hooks", "install");
        assertEquals(0, moved.run("hooks", "status").exit());
    }

    @Test
    void malformedSettingsAreLeftUntouched() throws Exception {
        Files.createDirectories(settings().getParent());
        Files.writeString(settings(), "{\"model\": ");
        var r = h.run("hooks", "install");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot parse " + settings()) && r.err().contains("untouched"), r.err());
        assertEquals("{\"model\": ", Files.readString(settings()));
    }

    @Test
    void claudeDirSymlinkOutsideTheRootIsRefused() throws Exception {
        Path outside = Files.createDirectories(h.base.resolve("elsewhere"));
        Files.createSymbolicLink(h.root.resolve(".claude"), outside);
        var r = h.run("hooks", "install");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("outside the netsky root"), r.err());
        assertFalse(Files.exists(outside.resolve("settings.json")));
    }

    @Test
    void initsClaudeToAgentsSymlinkIsFollowedAndUpsEnsureIsIdempotent() throws Exception {
        Files.createDirectories(h.root.resolve(".agents"));
        Files.writeString(h.root.resolve(".agents/settings.json"), "{\"permissions\": {\"allow\": [\"mcp__agent__reply\"]}}\n");
        Files.createSymbolicLink(h.root.resolve(".claude"), Path.of(".agents"));
        var out = new java.io.ByteArrayOutputStream();
        var ctx = new CliContext(h.env(), new java.io.PrintStream(out, true), System.err, System.in);
        ClaudeHooks.ensure(ctx, "up");
        assertEquals("[netsky up] installed the Claude Code status hooks in " + settings() + "\n", out.toString());
        var s = EnvelopeCodec.mapper().readTree(Files.readString(h.root.resolve(".agents/settings.json")));
        assertEquals("mcp__agent__reply", s.get("permissions").get("allow").get(0).asString());
        assertEquals(4, s.get("hooks").size());
        assertTrue(Files.isSymbolicLink(h.root.resolve(".claude")), "the link stays a link");
        out.reset();
        ClaudeHooks.ensure(ctx, "up");
        assertEquals("", out.toString(), "nothing to do the second time");
    }

    @Test
    void emitRecordsTheAgentsStateFromClaudeCodesPayloadAndNeverFails() {
        var a = h.withEnv("AGENT_N", "2");
        var start = a.runWithStdin("{\"session_id\":\"s1\",\"cwd\":\"/w\",\"hook_event_name\":\"SessionStart\",\"source\":\"startup\"}".getBytes(StandardCharsets.UTF_8),
                "hooks", "emit", "SessionStart");
        assertEquals(0, start.exit(), start.err());
        assertEquals("", start.out(), "stdout would be added to the agent's context");
        var s = HookStatus.read(h.paths(), AgentId.of("agent2")).orElseThrow();
        assertEquals("idle", s.state());
        assertEquals("s1", s.sessionId());
        a.runWithStdin("{\"session_id\":\"s1\",\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8), "hooks", "emit", "UserPromptSubmit");
        assertEquals("working", HookStatus.read(h.paths(), AgentId.of("agent2")).orElseThrow().state());
        a.runWithStdin("{\"message\":\"Claude needs your permission to use Bash\",\"notification_type\":\"permission_prompt\"}".getBytes(StandardCharsets.UTF_8),
                "hooks", "emit", "Notification");
        s = HookStatus.read(h.paths(), AgentId.of("agent2")).orElseThrow();
        assertEquals("waiting", s.state());
        assertEquals("Claude needs your permission to use Bash", s.message());
        assertEquals(java.util.Set.of("SessionStart", "UserPromptSubmit", "Notification"), s.events().keySet());
        a.run("hooks", "emit", "Stop");
        assertEquals("idle", HookStatus.read(h.paths(), AgentId.of("agent2")).orElseThrow().state());
        var bogus = a.run("hooks", "emit", "Bogus");
        assertEquals(0, bogus.exit());
        assertTrue(bogus.err().contains("unknown hook event 'Bogus'"), bogus.err());
        var st = h.run("hooks", "status");
        assertTrue(st.out().contains("agent2         idle     after Stop"), st.out());
    }

    @Test
    void emitWithoutAgentNRecordsNothing() {
        var r = h.run("hooks", "emit", "Stop");
        assertEquals(0, r.exit());
        assertFalse(Files.exists(h.paths().stateDir()), "a human's own Claude session must not pose as agent0");
    }
}
