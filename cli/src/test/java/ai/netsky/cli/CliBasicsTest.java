package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.Inbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CliBasicsTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void versionAndHelp() {
        assertEquals("netsky 0.1.7\n", h.run("--version").out());
        assertEquals("netsky 0.1.7\n", h.run("-V").out());
        var help = h.run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("channel"), help.out());
        var bare = h.run();
        assertEquals(0, bare.exit());
        assertTrue(bare.out().startsWith("Usage: netsky"), bare.out());
    }

    @Test
    void everySubcommandHasHelp() {
        var root = Main.commandLine(new CliContext(h.env(), System.out, System.err, System.in));
        java.util.List<String> missing = new java.util.ArrayList<>();
        walk(root, missing);
        assertTrue(missing.isEmpty(), "commands without --help: " + missing);
    }

    private void walk(picocli.CommandLine cl, java.util.List<String> missing) {
        if (!cl.getCommandSpec().optionsMap().containsKey("--help")) missing.add(cl.getCommandSpec().qualifiedName());
        cl.getSubcommands().values().forEach(sub -> walk(sub, missing));
    }

    @Test
    void unknownCommandAndBadFlagAreOneLineErrorsWithExit2() {
        var r = h.run("bogus");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("'bogus'") && r.err().contains("netsky --help"), r.err());
        var f = h.run("channel", "send", "--nope", "agent1", "x");
        assertEquals(2, f.exit());
        assertTrue(f.err().contains("--nope") && f.err().contains("netsky channel send --help"), f.err());
    }

    @Test
    void completionScripts() {
        var bash = h.run("completion", "bash");
        assertEquals(0, bash.exit());
        assertTrue(bash.out().contains("complete -F") && bash.out().contains("channel"), bash.out());
        var zsh = h.run("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out());
        assertEquals(2, h.run("completion", "fish").exit());
    }

    @Test
    void channelSendThenDrainRoundTrip() {
        var sent = h.withEnv("AGENT_N", "3").run("channel", "send", "agent1", "hello <world>", "--kind", "brief", "--thread", "t1");
        assertEquals(0, sent.exit(), sent.err());
        assertTrue(sent.out().startsWith("[netsky channel] sent to agent1: "), sent.out());
        var piped = h.runWithStdin("from stdin\nline two".getBytes(StandardCharsets.UTF_8), "channel", "send", "agent1", "-", "--from", "agentinfinity");
        assertEquals(0, piped.exit(), piped.err());
        var drained = h.run("channel", "drain", "agent1");
        assertEquals(0, drained.exit(), drained.err());
        var lines = drained.out().split("\n(?=<channel)");
        assertEquals(2, lines.length, drained.out());
        // channel send gives every envelope an id (<from>-<16 hex>) so a reply can carry in_reply_to
        assertTrue(lines[0].matches("(?s)<channel source=\"agent\" from=\"agent3\" chat_id=\"agent3\" id=\"agent3-[0-9a-f]{16}\" kind=\"brief\" thread=\"t1\" ts=.*"), lines[0]);
        assertTrue(lines[0].contains(">hello &lt;world&gt;</channel>"), lines[0]);
        assertTrue(lines[1].contains("from=\"agentinfinity\"") && lines[1].contains("from stdin\nline two"), lines[1]);
        assertTrue(new Inbox(h.paths(), AgentId.of("agent1")).pending().isEmpty());
        assertEquals("", h.run("channel", "drain", "agent1").out());
    }

    @Test
    void drainJsonAndQuarantine() throws Exception {
        h.run("channel", "send", "agent2", "ok");
        Files.writeString(h.paths().inbox(AgentId.of("agent2")).resolve("99999999999999999999-x.json"), "{broken");
        var r = h.run("channel", "drain", "agent2", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"command\" : \"channel drain\""), r.out());
        assertTrue(r.out().contains("\"quarantined\" : 1"), r.out());
        assertTrue(r.err().contains("quarantined 99999999999999999999-x.json"), r.err());
        assertTrue(Files.exists(h.paths().quarantine(AgentId.of("agent2")).resolve("99999999999999999999-x.json.reason.txt")));
    }

    @Test
    void badIdsAndTextAreClearErrorsThatWriteNothing() {
        var r = h.run("channel", "send", "../agent1", "x");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: unknown agent id '../agent1'"), r.err());
        var w = h.run("channel", "send", "agent1", "x</channel>");
        assertEquals(1, w.exit());
        assertTrue(w.err().contains("wrapper token"), w.err());
        assertFalse(Files.exists(h.paths().inbox(AgentId.of("agent1"))));
        var bad = h.withEnv("AGENT_N", "bad id").run("channel", "send", "agent1", "x");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("AGENT_N"), bad.err());
    }

    @Test
    void homeDotEnvFillsUnsetVariablesOnly() throws Exception {
        Files.writeString(h.home.resolve(".env"), "# comment\nexport AGENT_N=5\nNETSKY_DIR='/should/not/win'\n");
        var r = h.run("channel", "send", "agent1", "x");
        assertEquals(0, r.exit(), r.err());
        var drained = h.run("channel", "drain", "agent1");
        assertTrue(drained.out().contains("from=\"agent5\""), drained.out());
        assertEquals(java.util.Map.of("A", "1", "B", "two words", "C", "x=y"), DotEnv.parse("A=1\nB=\"two words\"\n#x\nexport C=x=y\nbad line\n"));
    }
}
