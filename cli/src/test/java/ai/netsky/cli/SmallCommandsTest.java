package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gates, nap and test, run as a user would. */
class SmallCommandsTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void gatesListShowAndJsonNameOnlyClassesThatExist() throws Exception {
        var list = h.run("gates");
        assertEquals(0, list.exit());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("envelope_quarantine")), list.out());
        var one = h.run("gates", "crash_loop");
        assertTrue(one.out().contains("  enforced by:   ai.netsky.watchdog.WatchdogTick"), one.out());
        var json = EnvelopeCodec.mapper().readTree(h.run("gates", "--json").out());
        assertEquals(Gate.ALL.size(), json.get("data").get("gates").size());
        for (var g : json.get("data").get("gates")) {
            for (String f : new String[] {"name", "signal", "condition", "action", "memory", "reversibility"}) assertFalse(g.get(f).asString().isBlank());
            Class.forName(g.get("where").asString()); // the table must not promise a gate nobody enforces
        }
        var bad = h.run("gates", "nope");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("unknown gate 'nope'; known: config_malformed"), bad.err());
    }

    @Test
    void durationsParseStrictly() {
        assertEquals(Duration.ofSeconds(90), Naps.parseDuration("90"));
        assertEquals(Duration.ofMinutes(90), Naps.parseDuration("1h30m"));
        assertEquals(Duration.ofSeconds(20), Naps.parseDuration("20s"));
        for (String bad : new String[] {"", "0", "x", "10x", "25h", "m5", "-5"}) {
            assertThrows(NetskyException.class, () -> Naps.parseDuration(bad), bad);
        }
        assertEquals("1h30m", Naps.human(Duration.ofMinutes(90)));
    }

    @Test
    void napArmsQuietForAgent0AndTheTickWakesOnceWhenDue() throws Exception {
        var r = h.run("nap", "20m", "--reason", "waiting for CI");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("[netsky nap] agent0 naps for 20m until "), r.out());
        Path state = h.paths().stateDir();
        try (var s = Files.list(state)) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("agent0-quiet-until-")).count(), "quiet window armed");
        }
        assertTrue(h.run("nap", "list").out().contains("agent0 until ") && h.run("nap", "list").out().contains("— waiting for CI"));
        assertEquals("", h.run("nap", "tick").out(), "not due yet");
        // A clone naps too (no quiet window: hang pages are agent0's); make its nap due by rewriting the entry.
        assertEquals(0, h.run("nap", "5s", "--agent", "agent3").exit());
        var naps = new Naps(h.paths());
        var n3 = naps.list().stream().filter(n -> n.agent().equals("agent3")).findFirst().orElseThrow();
        assertNull(n3.quietSentinel());
        naps.save(new Naps.Nap("agent3", Instant.now().getEpochSecond() - 1, null, n3.created(), null));
        var tick = h.run("nap", "tick");
        assertEquals("[netsky nap] woke agent3\n", tick.out());
        assertEquals("", h.run("nap", "tick").out(), "woken once");
        var inbox = new Inbox(h.paths(), AgentId.of("agent3")).pending();
        assertEquals(1, inbox.size());
        var env = EnvelopeCodec.parse(Files.readAllBytes(inbox.get(0)));
        assertEquals("wake", env.kind());
        assertEquals("agentinfinity", env.from());
        assertTrue(env.text().startsWith("wake: nap ended (agent3 napped until "), env.text());
        // Cancel wakes at once and removes agent0's quiet window.
        var c = h.run("nap", "cancel");
        assertTrue(c.out().contains("cancelled agent0's nap; wake envelope sent"), c.out());
        try (var s = Files.list(state)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("agent0-quiet-until-")).count());
        }
        assertEquals(1, new Inbox(h.paths(), AgentId.AGENT0).pending().size());
        assertTrue(h.run("nap", "cancel").out().contains("not napping"));
        assertEquals(1, h.run("nap", "0").exit());
    }

    Path suite(String rel, String body) throws Exception {
        Path f = h.root.resolve("tests").resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, body);
        return f;
    }

    @Test
    void testRunsSuitesIsolatedAndReportsFailuresIndented() throws Exception {
        assertEquals("no tests found\n", h.run("test", "--dir", h.root.toString()).out());
        suite("unit/test-ok.sh", "echo fine\n[ \"$HOME\" != \"" + h.home + "\" ] || exit 9\ntouch \"$HOME/x\"\n");
        suite("unit/test-bad.sh", "echo out line\necho err line >&2\nexit 3\n");
        suite("agent/test-agent.sh", "[ -n \"$TMUX_TMPDIR\" ] && [ -d \"$TMPDIR\" ]\n");
        suite("unit/helper.sh", "exit 1\n");
        var r = h.run("test", "--dir", h.root.toString());
        assertEquals(1, r.exit(), r.out());
        var lines = r.out().lines().toList();
        // Suites in order (unit, then agent), files sorted within each.
        assertTrue(lines.get(0).matches(java.util.regex.Pattern.quote(String.format("  %-50s FAIL ", "unit/test-bad.sh")) + "\\d+\\.\\d\\ds"), lines.get(0));
        assertEquals("    out line", lines.get(1));
        assertEquals("    err line", lines.get(2));
        assertEquals("    (exit 3)", lines.get(3));
        assertTrue(lines.get(4).startsWith(String.format("  %-50s pass ", "unit/test-ok.sh")), lines.get(4));
        assertTrue(lines.get(5).matches(java.util.regex.Pattern.quote(String.format("  %-50s pass ", "agent/test-agent.sh")) + "\\d+\\.\\d\\ds"), lines.get(5));
        assertTrue(lines.get(6).matches("2 passed, 1 failed in \\d+\\.\\d\\ds"), lines.get(6));
        assertFalse(Files.exists(h.home.resolve("x")), "tests ran with their own HOME");

        var unit = h.run("test", "unit", "--dir", h.root.toString(), "--json");
        var json = EnvelopeCodec.mapper().readTree(unit.out());
        assertEquals("red", json.get("status").asString());
        assertEquals(2, json.get("data").get("tests").size());
        var one = h.run("test", "tests/unit/test-ok.sh", "--dir", h.root.toString());
        assertEquals(0, one.exit(), one.out());
        var missing = h.run("test", "nosuch", "--dir", h.root.toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no test suite or path 'nosuch'"), missing.err());
    }

    @Test
    void aHangingTestIsKilledAtItsDeadline() throws Exception {
        suite("unit/test-hang.sh", "sleep 30\n");
        long t0 = System.nanoTime();
        var r = h.run("test", "--dir", h.root.toString(), "--timeout", "1");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("did not finish within 1000 ms"), r.out());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "bounded by the deadline, not the sleep");
    }
}
