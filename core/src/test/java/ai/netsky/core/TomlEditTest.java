package ai.netsky.core;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

class TomlEditTest {
    static final String DOC = """
            # my netsky
            schema_version = 1

            [owner]
            name = "Alex"   # what agents call me
            # email later

            [tuning]
            graceful_timeout_s = 60 # seconds
            hang_threshold_s=1800
            """;

    @TempDir
    Path dir;

    @Test
    void replacesInPlaceKeepingCommentsAndSpacing() {
        String out = TomlEdit.set(DOC, "owner.name", TomlEdit.stringLiteral("Sam \"S\""));
        assertEquals(DOC.replace("name = \"Alex\"   #", "name = \"Sam \\\"S\\\"\"   #"), out);
        String n = TomlEdit.set(DOC, "tuning.hang_threshold_s", "99");
        assertEquals(DOC.replace("hang_threshold_s=1800", "hang_threshold_s=99"), n);
    }

    @Test
    void insertsIntoItsTableAfterTheLastKeyOrAppendsATable() {
        String out = TomlEdit.set(DOC, "owner.email", TomlEdit.stringLiteral("a@b.c"));
        assertEquals(DOC.replace("# what agents call me\n", "# what agents call me\nemail = \"a@b.c\"\n"), out);
        String appended = TomlEdit.set(DOC, "channels.agent.delivery", "\"nudge\"");
        assertEquals(DOC + "\n[channels.agent]\ndelivery = \"nudge\"\n", appended);
        String top = TomlEdit.set("# hi\n[owner]\nname = \"x\"\n", "schema_version", "1");
        assertEquals("# hi\nschema_version = 1\n[owner]\nname = \"x\"\n", top);
    }

    @Test
    void usesADottedKeyWhenTheParentTableAlreadyDefinesTheSubTable() {
        String doc = "[channels]\nagent.other = 1\n";
        String out = TomlEdit.set(doc, "channels.agent.delivery", "\"auto\"");
        assertEquals("[channels]\nagent.other = 1\nagent.delivery = \"auto\"\n", out);
        assertEquals("auto", Toml.parse(out).getString("channels.agent.delivery"));
    }

    @Test
    void editsInsideInlineTablesButRefusesMultiLineValues() {
        String inline = "[channels]\nagent = { delivery = \"auto\", x = 1 }\n";
        assertEquals("[channels]\nagent = { delivery = \"nudge\", x = 1 }\n", TomlEdit.set(inline, "channels.agent.delivery", "\"nudge\""));
        var e = assertThrows(NetskyException.class, () -> TomlEdit.set("[owner]\nname = \"\"\"a\nb\"\"\"\n", "owner.name", "\"x\""));
        assertTrue(e.getMessage().contains("multi-line"), e.getMessage());
        assertThrows(NetskyException.class, () -> TomlEdit.unset(inline, "channels.agent.delivery"));
    }

    @Test
    void unsetRemovesOnlyThatLine() {
        assertEquals(DOC.replace("graceful_timeout_s = 60 # seconds\n", ""), TomlEdit.unset(DOC, "tuning.graceful_timeout_s"));
        assertEquals(DOC, TomlEdit.unset(DOC, "owner.email"));
    }

    @Property(tries = 200)
    void anyStringRoundTrips(@ForAll String value) {
        String out = TomlEdit.set(DOC, "owner.name", TomlEdit.stringLiteral(value));
        var r = Toml.parse(out);
        assertFalse(r.hasErrors(), out);
        assertEquals(value, r.getString("owner.name"));
        assertEquals(1L, r.getLong("schema_version"));
        assertTrue(out.contains("# what agents call me") && out.contains("hang_threshold_s=1800"));
    }

    @Test
    void configWriterValidatesThenReplacesAtomicallyKeepingPermissions() throws Exception {
        Path f = dir.resolve("netsky.toml");
        Files.writeString(f, DOC);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        var c = ConfigWriter.set(f, ConfigKey.RUNTIME, "stub", Map.of());
        assertTrue(c.changed());
        assertEquals("stub", Config.load(f, Map.of()).string(ConfigKey.RUNTIME, null));
        assertTrue(Files.readString(f).startsWith(DOC), "existing text untouched");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertFalse(ConfigWriter.set(f, ConfigKey.RUNTIME, "stub", Map.of()).changed(), "idempotent");
        String before = Files.readString(f);
        var bad = assertThrows(NetskyException.class, () -> ConfigWriter.set(f, ConfigKey.RUNTIME, "gpt", Map.of()));
        assertTrue(bad.getMessage().contains("claude, codex, stub"), bad.getMessage());
        assertThrows(NetskyException.class, () -> ConfigWriter.set(f, ConfigKey.GRACEFUL_TIMEOUT_S, "0", Map.of()));
        assertThrows(NetskyException.class, () -> ConfigWriter.set(f, ConfigKey.CLONES_DEFAULT, "two", Map.of()));
        assertEquals(before, Files.readString(f), "a refused value writes nothing");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp files left behind");
        }
        ConfigWriter.unset(f, ConfigKey.RUNTIME, Map.of());
        assertEquals(DOC, Files.readString(f));
    }

    @Test
    void configWriterCreatesAMissingFile() throws Exception {
        Path f = dir.resolve("root/netsky.toml");
        ConfigWriter.set(f, ConfigKey.CLONES_DEFAULT, "3", Map.of());
        assertEquals("schema_version = 1\n\n[clones]\ndefault_count = 3\n", Files.readString(f));
    }

    @Test
    void configWriterRefusesToEditAMalformedFile() throws Exception {
        Path f = dir.resolve("netsky.toml");
        Files.writeString(f, "[owner\nname = 1\n");
        var e = assertThrows(NetskyException.class, () -> ConfigWriter.set(f, ConfigKey.OWNER_NAME, "x", Map.of()));
        assertTrue(e.getMessage().contains("netsky.toml:1"), e.getMessage());
    }
}
