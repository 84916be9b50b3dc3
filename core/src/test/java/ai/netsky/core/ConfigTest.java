package ai.netsky.core;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    Config load(String toml, Map<String, String> env) throws IOException {
        Path f = dir.resolve("netsky.toml");
        Files.writeString(f, toml);
        return Config.load(f, env);
    }

    @Test
    void precedenceIsFlagThenEnvThenFileThenDefault() throws IOException {
        Config c = load("[netsky]\nruntime = \"codex\"\n", Map.of("AGENT_RUNTIME", "stub"));
        assertEquals("claude", c.string(ConfigKey.RUNTIME, "claude"));
        assertEquals(Config.Source.FLAG, c.resolve(ConfigKey.RUNTIME, "claude").source());
        assertEquals("stub", c.string(ConfigKey.RUNTIME, null));
        Config fileOnly = load("[netsky]\nruntime = \"codex\"\n", Map.of());
        assertEquals("codex", fileOnly.string(ConfigKey.RUNTIME, null));
        assertEquals(Config.Source.FILE, fileOnly.resolve(ConfigKey.RUNTIME, null).source());
        Config none = Config.load(dir.resolve("absent.toml"), Map.of());
        assertFalse(none.present());
        assertEquals("claude", none.string(ConfigKey.RUNTIME, null));
        assertEquals(60, none.integer(ConfigKey.GRACEFUL_TIMEOUT_S, null));
    }

    @Test
    void malformedTomlNamesFileAndLine() {
        var e = assertThrows(NetskyException.class, () -> load("[owner]\nname = \"x\"\nbroken = \n", Map.of()));
        assertTrue(e.getMessage().contains("netsky.toml:3"), e.getMessage());
    }

    @Test
    void wrongTypeNamesFileLineAndKey() {
        var e = assertThrows(NetskyException.class, () -> load("[tuning]\n\ngraceful_timeout_s = \"soon\"\n", Map.of()));
        assertTrue(e.getMessage().contains("netsky.toml:3"), e.getMessage());
        assertTrue(e.getMessage().contains("tuning.graceful_timeout_s"), e.getMessage());
    }

    @Test
    void unknownSectionIsAnErrorNotASilentFallback() {
        var e = assertThrows(NetskyException.class, () -> load("[tunning]\nx = 1\n", Map.of()));
        assertTrue(e.getMessage().contains("'tunning'"), e.getMessage());
    }

    @Test
    void badEnvIntegerNamesTheVariable() throws IOException {
        Config c = load("", Map.of("NETSKY_GRACEFUL_TIMEOUT_S", "abc"));
        var e = assertThrows(NetskyException.class, () -> c.integer(ConfigKey.GRACEFUL_TIMEOUT_S, null));
        assertTrue(e.getMessage().contains("NETSKY_GRACEFUL_TIMEOUT_S"), e.getMessage());
    }

    @Test
    void rootIsNetskyDirElseHomeNetsky() {
        assertEquals(Path.of("/x/y"), NetskyPaths.netskyRoot(Map.of("NETSKY_DIR", "/x/y", "HOME", "/h")));
        assertEquals(Path.of("/h/netsky"), NetskyPaths.netskyRoot(Map.of("HOME", "/h")));
        var e = assertThrows(NetskyException.class, () -> NetskyPaths.fromEnv(Map.of()));
        assertTrue(e.getMessage().contains("HOME"));
    }
}
