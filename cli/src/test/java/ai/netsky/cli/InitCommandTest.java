package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** netsky init: the bundled files, never clobbering edits without --update, never the agent settings. */
class InitCommandTest {
    @Test
    void writesOnceKeepsEditsAndUpdatesAllButSettings() throws Exception {
        try (var h = new NetskyHarness()) {
            h.withEnv("NETSKY_BIN", "/opt/netsky/bin/netsky");
            var first = h.run("init");
            assertEquals(0, first.exit(), first.err());
            assertTrue(first.out().endsWith("netsky init: wrote 11 files to " + h.root + "\n"), first.out());
            assertTrue(first.out().contains("  wrote AGENTS.md\n"));
            for (String f : new String[] {".mcp.json", "AGENTS.md", "CLAUDE.md", ".agents/settings.json", ".agents/prompts/clone.md", ".agents/skills/down/SKILL.md"}) {
                assertTrue(Files.isRegularFile(h.root.resolve(f)), f);
            }
            assertTrue(Files.readString(h.root.resolve(".mcp.json")).contains("\"command\": \"/opt/netsky/bin/netsky\""));
            assertEquals(Path.of(".agents"), Files.readSymbolicLink(h.root.resolve(".claude")));
            for (String d : new String[] {"notes", "briefs", "workspaces"}) assertTrue(Files.isDirectory(h.root.resolve(d)), d);

            Files.writeString(h.root.resolve("AGENTS.md"), "mine\n");
            Files.writeString(h.root.resolve(".agents/settings.json"), "{\"mine\":true}\n");
            var again = h.run("init");
            assertEquals("netsky init: wrote 0 files to " + h.root + "\n", again.out());
            assertEquals("mine\n", Files.readString(h.root.resolve("AGENTS.md")));

            var update = h.run("init", "--update");
            assertEquals(0, update.exit());
            assertTrue(update.out().contains("netsky init: wrote 10 files"), update.out());
            assertNotEquals("mine\n", Files.readString(h.root.resolve("AGENTS.md")));
            assertEquals("{\"mine\":true}\n", Files.readString(h.root.resolve(".claude/settings.json")), "settings never overwritten");

            Path other = h.base.resolve("elsewhere");
            assertEquals(0, h.run("init", "--path", other.toString()).exit());
            assertTrue(Files.isRegularFile(other.resolve("AGENTS.md")));
        }
    }
}
