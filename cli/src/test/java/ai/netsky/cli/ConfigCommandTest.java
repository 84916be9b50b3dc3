package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.EnvelopeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** netsky config get|set|unset|list|path, as a user runs it. */
class ConfigCommandTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    Path file() { return h.root.resolve("netsky.toml"); }

    @Test
    void pathGetSetUnsetRoundTripKeepingTheUsersFile() throws Exception {
        assertEquals(file() + "\n", h.run("config", "path").out());
        assertEquals("claude\n", h.run("config", "get", "netsky.runtime").out(), "default without a file");
        String mine = "# mine\nschema_version = 1\n\n[owner]\nname = \"Alex\" # me\n";
        Files.writeString(file(), mine);
        var set = h.run("config", "set", "netsky.runtime", "stub");
        assertEquals(0, set.exit(), set.err());
        assertTrue(set.out().startsWith("[netsky config] set netsky.runtime = \"stub\" in " + file()), set.out());
        assertEquals(mine + "\n[netsky]\nruntime = \"stub\"\n", Files.readString(file()));
        assertEquals("stub\n", h.run("config", "get", "netsky.runtime").out());
        var again = h.run("config", "set", "netsky.runtime", "stub");
        assertTrue(again.out().contains("already \"stub\"") && again.out().contains("nothing changed"), again.out());
        h.run("config", "set", "owner.name", "Sam");
        assertEquals(mine.replace("\"Alex\"", "\"Sam\"") + "\n[netsky]\nruntime = \"stub\"\n", Files.readString(file()));
        assertEquals(0, h.run("config", "unset", "netsky.runtime").exit());
        assertEquals(mine.replace("\"Alex\"", "\"Sam\""), Files.readString(file()));
    }

    @Test
    void badValuesAndKeysAreRefusedAndWriteNothing() throws Exception {
        Files.writeString(file(), "schema_version = 1\n");
        var bad = h.run("config", "set", "channels.agent.delivery", "carrier-pigeon");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("error: channels.agent.delivery must be one of channel, nudge, auto"), bad.err());
        var unknown = h.run("config", "set", "tuning.nope", "1");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("unknown config key 'tuning.nope'") && unknown.err().contains("tuning.hang_threshold_s"), unknown.err());
        var num = h.run("config", "set", "clones.default_count", "-1");
        assertEquals(1, num.exit(), num.err());
        assertEquals("schema_version = 1\n", Files.readString(file()));
        assertEquals(1, h.run("config", "get", "owner.imessage").exit(), "no value, no default");
        assertEquals(2, h.run("config", "set", "owner.name").exit(), "missing value is a usage error");
    }

    @Test
    void listShowsEveryKeyWithItsSource() throws Exception {
        Files.writeString(file(), "[tuning]\nhang_threshold_s = 99\n[peers.box]\nurl = \"nats://x\"\n");
        var r = h.withEnv("NETSKY_CLONES", "4").withEnv("NETSKY_DELIVERY", "bogus").run("config", "list");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("tuning\\.hang_threshold_s\\s+99\\s+file\\s+NETSKY_HANG_THRESHOLD_S")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("clones\\.default_count\\s+4\\s+env\\s+NETSKY_CLONES")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("netsky\\.runtime\\s+claude\\s+default\\s+AGENT_RUNTIME")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("owner\\.imessage\\s+-\\s+unset\\s+NETSKY_OWNER_IMESSAGE")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("channels.agent.delivery") && l.contains("! channels.agent.delivery must be one of")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("peers\\.box\\.url\\s+nats://x\\s+file\\s*")), r.out());
        var json = EnvelopeCodec.mapper().readTree(h.withEnv("NETSKY_DELIVERY", "auto").run("config", "list", "--json").out());
        assertEquals("config", json.get("command").asString());
        var keys = json.get("data").get("keys");
        assertEquals(ai.netsky.core.ConfigKey.ALL.size() + 1, keys.size());
        assertEquals("file", keys.get(ai.netsky.core.ConfigKey.ALL.indexOf(ai.netsky.core.ConfigKey.HANG_THRESHOLD_S)).get("source").asString());
    }

    @Test
    void setWarnsWhenTheEnvironmentStillWins() {
        var r = h.withEnv("AGENT_RUNTIME", "codex").run("config", "set", "netsky.runtime", "stub");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("AGENT_RUNTIME=codex") && r.err().contains("wins over netsky.toml"), r.err());
        assertEquals("codex\n", h.run("config", "get", "netsky.runtime").out());
    }

    @Test
    void aMalformedFileIsAnErrorNamingTheLineButPathStillWorks() throws Exception {
        Files.writeString(file(), "[owner]\nname = \n");
        var r = h.run("config", "list");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("netsky.toml:2"), r.err());
        assertEquals(0, h.run("config", "path").exit());
    }
}
