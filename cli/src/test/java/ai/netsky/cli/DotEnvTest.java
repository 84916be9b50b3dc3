package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ~/.env per spec cli.md §2.2: export prefix, comments, quotes, first '=', existing variables win. */
class DotEnvTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void parsesTheSpecsLineRules() {
        String text = String.join("\n",
                "# a comment",
                "   # an indented comment",
                "",
                "PLAIN=value",
                "  SPACED  =  padded value  ",
                "export EXPORTED=yes",
                "export\tTABBED=yes",
                "EQUALS=a=b=c",
                "DOUBLE=\"two words # not a comment\"",
                "ESCAPED=\"line\\nnext \\\"q\\\" back\\\\slash\"",
                "SINGLE='literal \\n $HOME'",
                "INLINE=bare # trailing comment",
                "EMPTY=",
                "HALF=\"unclosed",
                "CRLF=dos\r",
                "=novalue",
                "not a pair",
                "BAD-KEY=x",
                "1ST=x",
                "DUP=first",
                "DUP=second");
        Map<String, String> m = DotEnv.parse(text);
        assertEquals("value", m.get("PLAIN"));
        assertEquals("padded value", m.get("SPACED"));
        assertEquals("yes", m.get("EXPORTED"));
        assertEquals("yes", m.get("TABBED"));
        assertEquals("a=b=c", m.get("EQUALS"));
        assertEquals("two words # not a comment", m.get("DOUBLE"));
        assertEquals("line\nnext \"q\" back\\slash", m.get("ESCAPED"));
        assertEquals("literal \\n $HOME", m.get("SINGLE"));
        assertEquals("bare", m.get("INLINE"));
        assertEquals("", m.get("EMPTY"));
        assertEquals("\"unclosed", m.get("HALF"));
        assertEquals("dos", m.get("CRLF"));
        assertEquals("second", m.get("DUP"), "the last definition wins within the file");
        assertEquals(java.util.Set.of("PLAIN", "SPACED", "EXPORTED", "TABBED", "EQUALS", "DOUBLE", "ESCAPED", "SINGLE", "INLINE", "EMPTY", "HALF",
                "CRLF", "DUP"), m.keySet());
    }

    @Test
    void loadedAtStartWithoutOverridingSetVariables() throws Exception {
        Files.writeString(h.home.resolve(".env"), "export NETSKY_OWNER_NAME=\"Robin\"\nAGENT_RUNTIME=codex\n");
        var r = h.withEnv("AGENT_RUNTIME", "stub").run("config", "list", "--json");
        assertEquals(0, r.exit(), r.err());
        var keys = ai.netsky.core.EnvelopeCodec.mapper().readTree(r.out()).get("data").get("keys");
        var byKey = new java.util.HashMap<String, tools.jackson.databind.JsonNode>();
        keys.forEach(k -> byKey.put(k.get("key").asString(), k));
        assertEquals("Robin", byKey.get("owner.name").get("value").asString());
        assertEquals("env", byKey.get("owner.name").get("source").asString());
        assertEquals("stub", byKey.get("netsky.runtime").get("value").asString(), "the process environment wins over ~/.env");
    }

    @Test
    void aMissingUnreadableOrHugeFileIsIgnored() throws Exception {
        assertEquals(0, h.run("config", "path").exit());
        var env = h.home.resolve(".env");
        Files.createDirectory(env); // unreadable as a file
        assertEquals("owner\n", h.run("config", "get", "owner.name").out());
        Files.delete(env);
        Files.writeString(env, "NETSKY_OWNER_NAME=Big\n" + "#".repeat((int) DotEnv.MAX_BYTES));
        assertEquals("owner\n", h.run("config", "get", "owner.name").out());
    }
}
