package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * doctor against a real (stub-like) constellation: real tmux sessions on the harness's own server
 * running small scripts, real marker files, a real meta.db. Green when healthy; each seeded fault
 * turns it red, names the failing check and gives a fix.
 */
class DoctorTest {
    final NetskyHarness h = new NetskyHarness().withEnv("AGENT_RUNTIME", "stub");
    WatchdogPaths wd;
    Tmux tmux;

    @BeforeEach
    void healthyConstellation() throws Exception {
        h.withEnv("NETSKY_TMP", Files.createDirectories(h.base.resolve("tmp")).toString());
        wd = WatchdogPaths.of(h.paths(), h.env());
        tmux = new Tmux(h.env());
        Files.createDirectories(h.paths().stateDir());
        for (String s : List.of("agent0", "agentinfinity", "netsky-ticker")) {
            assertTrue(tmux.newSession(s, h.root, Map.of(), "exec sleep 600"));
        }
        Files.writeString(h.paths().agentStateFile(AgentId.AGENT0, "ready"), "");
        Files.writeString(h.paths().agentinfinityReadyMarker(), "");
        for (String a : List.of("agent0", "agentinfinity")) Files.writeString(h.paths().stateDir().resolve(a + "-runtime"), "stub\n");
        Files.writeString(wd.lastTick(), Long.toString(Instant.now().getEpochSecond()));
        Path units = Files.createDirectories(h.home.resolve(".config/systemd/user"));
        Files.writeString(units.resolve("netsky-watchdog.service"), "[Service]\n");
        Files.writeString(units.resolve("netsky-watchdog.timer"), "[Timer]\n");
    }

    @AfterEach
    void close() { h.close(); }

    JsonNode doctorJson() {
        var r = h.run("doctor", "--json");
        JsonNode j = EnvelopeCodec.mapper().readTree(r.out());
        assertEquals(j.path("status").asString().equals("red") ? 1 : 0, r.exit(), "exit code follows the verdict: " + r.out());
        return j;
    }

    Map<String, JsonNode> checks(JsonNode j) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode c : j.path("data").path("checks")) m.put(c.path("name").asString(), c);
        return m;
    }

    @Test
    void greenOnAHealthyConstellationThenRedForEachSeededFault() throws Exception {
        var healthy = h.run("doctor");
        assertEquals(0, healthy.exit(), healthy.out());
        assertTrue(healthy.out().contains("[netsky doctor] ok    sessions") && healthy.out().contains("agent0, agentinfinity, netsky-ticker up"), healthy.out());
        JsonNode j = doctorJson();
        assertTrue(List.of("green", "yellow").contains(j.path("status").asString()), j.toString());
        for (var c : checks(j).values()) {
            // The only tolerated warning: systemd is not running in a test container, so the installed timer is not active.
            if (!c.path("status").asString().equals("green")) assertEquals("os timer", c.path("name").asString(), c.toString());
        }
        assertEquals(14, checks(j).size(), "every check reported");
        var brief = h.run("doctor", "--brief");
        assertEquals(0, brief.exit());
        assertTrue(brief.out().lines().allMatch(l -> !l.contains(" ok ")), "brief hides passing checks: " + brief.out());

        Path hang = wd.hangMarker(AgentId.of("agent1"));
        fault("hang markers", "agent1 since", "netsky attach", () -> Files.writeString(hang, "owner decision: investigate.\n"), () -> Files.delete(hang));
        Path loop = wd.crashloopMarker(AgentId.AGENT0);
        fault("crash loop", "agent0 since", "--fresh", () -> Files.writeString(loop, "x"), () -> Files.delete(loop));
        fault("agentinit escalation", "failed to boot", "netsky agentinfinity", () -> Files.writeString(wd.agentinitEscalationMarker(), "x"),
                () -> Files.delete(wd.agentinitEscalationMarker()));
        Path esc = h.paths().stateDir().resolve("escalate-failed-1776600000");
        fault("escalation failures", "1 page(s) to the owner failed", "owner.notify_command", () -> Files.writeString(esc, "x"), () -> Files.delete(esc));
        fault("sessions", "agentinfinity missing", "netsky agentinfinity", () -> tmux.killSession("agentinfinity"),
                () -> tmux.newSession("agentinfinity", h.root, Map.of(), "exec sleep 600"));
        fault("sessions", "netsky-ticker missing", "netsky tick ticker-start", () -> tmux.killSession("netsky-ticker"),
                () -> tmux.newSession("netsky-ticker", h.root, Map.of(), "exec sleep 600"));
        fault("sessions", "agent2 missing", "netsky agent 2", () -> {
            Files.createDirectories(h.paths().promptsDir());
            Files.writeString(h.paths().promptsDir().resolve("agent2.md"), "prompt");
        }, () -> Files.delete(h.paths().promptsDir().resolve("agent2.md")));
        fault("sessions", "agent0 pane exited (status 3)", "watchdog tick", () -> {
            tmux.killSession("agent0");
            tmux.newSession("agent0", h.root, Map.of(), "exit 3");
            // tmux may flag the pane dead before it has reaped the child: wait for the exit status too.
            NetskyHarness.await("agent0's pane to be dead with its exit status", java.time.Duration.ofSeconds(10),
                    () -> tmux.paneState("agent0").dead() && tmux.paneState("agent0").exitStatus() == 3);
        }, () -> {
            tmux.killSession("agent0");
            tmux.newSession("agent0", h.root, Map.of(), "exec sleep 600");
        });
        fault("ticker heartbeat", "last watchdog pass 60m ago", "netsky tick ticker-start",
                () -> Files.writeString(wd.lastTick(), Long.toString(Instant.now().getEpochSecond() - 3600)),
                () -> Files.writeString(wd.lastTick(), Long.toString(Instant.now().getEpochSecond())));
        Path timer = h.home.resolve(".config/systemd/user/netsky-watchdog.timer");
        fault("os timer", "not installed", "netsky launchd install", () -> Files.delete(timer), () -> Files.writeString(timer, "[Timer]\n"));
        fault("restart handoff", "planned restart request waiting", "netsky watchdog tick", () -> {
            Files.writeString(wd.restartRequest(), "handoff");
            Files.setLastModifiedTime(wd.restartRequest(), FileTime.from(Instant.now().minusSeconds(900)));
        }, () -> Files.delete(wd.restartRequest()));
        Path crash = h.paths().stateDir().resolve("crash-handoffs/crash-handoff-1-2.md");
        fault("crash handoffs", "1 crash handoff(s) not delivered", "netsky watchdog tick", () -> {
            Files.createDirectories(crash.getParent());
            Files.writeString(crash, "# crash");
            Files.setLastModifiedTime(crash, FileTime.from(Instant.now().minusSeconds(3600)));
        }, () -> Files.delete(crash));
        fault("binaries", "codex (runtime codex)", "npm install -g @openai/codex",
                () -> Files.writeString(h.paths().stateDir().resolve("agent1-runtime"), "codex\n"),
                () -> Files.delete(h.paths().stateDir().resolve("agent1-runtime")));
        fault("disk space", "MiB free", "free space", () -> h.withEnv(Doctor.ENV_MIN_FREE_MB, Long.toString(Long.MAX_VALUE / (1 << 21))),
                () -> h.withEnv(Doctor.ENV_MIN_FREE_MB, "1"));
        Path aside = h.paths().metaDb().resolveSibling("meta.db.aside");
        fault("meta.db", "corrupt", "spooled rows import", () -> {
            Files.move(h.paths().metaDb(), aside);
            Files.writeString(h.paths().metaDb(), "garbage that is certainly not an SQLite header, long enough.......................................");
            Files.deleteIfExists(h.paths().metaDb().resolveSibling("meta.db-wal"));
            Files.deleteIfExists(h.paths().metaDb().resolveSibling("meta.db-shm"));
        }, () -> {
            Files.delete(h.paths().metaDb());
            Files.move(aside, h.paths().metaDb());
        });

        // A quiet window is reported, but is not a fault.
        Files.writeString(wd.quietSentinel(Instant.now().getEpochSecond() + 3600), "quiet\n");
        var q = checks(doctorJson()).get("quiet");
        assertEquals("yellow", q.path("status").asString(), q.toString());
        assertEquals(0, h.run("doctor").exit());
    }

    interface Step {
        void run() throws Exception;
    }

    private void fault(String check, String detail, String fix, Step seed, Step heal) throws Exception {
        seed.run();
        var r = h.run("doctor");
        assertEquals(1, r.exit(), check + " fault must turn doctor red:\n" + r.out());
        String failLine = r.out().lines().filter(l -> l.contains("FAIL  " + check)).findFirst().orElse(null);
        assertTrue(failLine != null && failLine.contains(detail), check + ": expected a FAIL line containing '" + detail + "':\n" + r.out());
        assertTrue(r.out().contains("fix: ") && r.out().lines().anyMatch(l -> l.contains("fix:") && l.contains(fix)), check + ": fix mentioning '" + fix + "':\n" + r.out());
        assertTrue(r.out().contains("verdict: red") && (r.out().contains("failing (" + check) || r.out().contains(", " + check)), "the verdict names " + check + ":\n" + r.out());
        if (check.equals("hang markers")) {
            var brief = h.run("doctor", "--brief");
            assertEquals(1, brief.exit());
            assertTrue(brief.out().contains("FAIL  " + check) && brief.out().contains("fix: "), brief.out());
        }
        heal.run();
        var again = h.run("doctor");
        assertEquals(0, again.exit(), "healed " + check + ":\n" + again.out());
    }
}
