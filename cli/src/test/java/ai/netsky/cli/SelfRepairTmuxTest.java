package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Self-repair against a real stub constellation in real tmux (issue 9's must-shows): crash recovery
 * with the crash handoff delivered, drills 1 and 2, repeated random kills, `down` respected, a
 * crash loop escalated exactly once, hang detection with its suppressions, and single-flight ticks.
 */
class SelfRepairTmuxTest {
    /** Consecutive random kills; override with -Dnetsky.kills=N. */
    static final int KILLS = Integer.getInteger("netsky.kills", 20);

    static Path notifyRecorder(NetskyHarness h) throws Exception {
        Path script = h.base.resolve("notify");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\0' \"$1\" >> '" + h.base.resolve("pages") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    static List<String> pages(NetskyHarness h) {
        String all = LifecycleWorld.read(h.base.resolve("pages"));
        return all.isEmpty() ? List.of() : List.of(all.split("\0"));
    }

    /** Ready again after a kill: a new live pane and a ready marker written after the kill. */
    static boolean readyAgain(NetskyHarness h, Tmux tmux, AgentId a, long oldPid, long killedAtMillis) {
        try {
            if (!tmux.hasSession(a.name())) return false;
            var pane = tmux.paneState(a.name());
            Path ready = a.equals(AgentId.AGENTINFINITY) ? h.paths().agentinfinityReadyMarker() : h.paths().agentStateFile(a, "ready");
            return !pane.dead() && pane.pid() != oldPid && Files.exists(ready)
                    && Files.getLastModifiedTime(ready).toMillis() >= killedAtMillis - 1000;
        } catch (Exception racing) {
            return false;
        }
    }

    @Test
    void crashRecoveryDrillsRandomKillsAndDownIntent() throws Exception {
        try (var h = LifecycleWorld.create()) {
            h.withEnv("NETSKY_NOTIFY_COMMAND", notifyRecorder(h).toString());
            Tmux tmux = new Tmux(h.env());
            var wd = WatchdogPaths.of(h.paths(), h.env());
            var up = h.run("up", "2", "--type", "stub", "--no-attach");
            assertEquals(0, up.exit(), up.out() + up.err());

            // agent0 killed: back and ready, the crash handoff (with the sigil) archived and delivered to agent0.
            long pid0 = tmux.paneState("agent0").pid();
            long killedAt = System.currentTimeMillis();
            ProcessHandle.of(pid0).orElseThrow().destroyForcibly();
            NetskyHarness.await("agent0 revived and ready after SIGKILL", Duration.ofSeconds(60),
                    () -> readyAgain(h, tmux, AgentId.AGENT0, pid0, killedAt));
            NetskyHarness.await("the crash handoff delivered to and acknowledged by the new agent0", Duration.ofSeconds(30),
                    () -> LifecycleWorld.allMail(h, "agent0").contains(WatchdogPaths.CRASH_SIGIL)
                            && tmux.capturePane("agent0").contains("acknowledged handoff"));
            try (var s = Files.list(wd.handoffArchiveDir())) {
                assertTrue(s.anyMatch(p -> LifecycleWorld.read(p).contains(WatchdogPaths.CRASH_SIGIL)), "crash handoff archived with the sigil");
            }
            assertTrue(pages(h).isEmpty(), "a single crash is repaired, not paged: " + pages(h));

            // The drills, as an operator runs them.
            for (String n : List.of("2", "1")) {
                var drill = h.run("drill", n, "--wait", "60", "--up-wait", "90");
                assertEquals(0, drill.exit(), "drill " + n + ":\n" + drill.out() + drill.err() + "\nwatchdog log:\n" + LifecycleWorld.read(wd.watchdogLog()));
                assertTrue(drill.out().contains("drill " + n + " PASS"), drill.out());
            }

            // Consecutive random kills (SIGKILL of the pane or kill-session), each agent the same number of times
            // so no single agent crosses the crash-loop window by chance.
            List<AgentId> victims = new ArrayList<>();
            List<AgentId> all = List.of(AgentId.AGENT0, AgentId.fromNumber(1), AgentId.fromNumber(2), AgentId.AGENTINFINITY);
            for (int i = 0; i < KILLS; i++) victims.add(all.get(i % all.size()));
            Random random = new Random(42);
            Collections.shuffle(victims, random);
            int recovered = 0;
            for (AgentId a : victims) {
                NetskyHarness.await(a + " up before the next kill", Duration.ofSeconds(60), () -> {
                    try {
                        return tmux.hasSession(a.name()) && !tmux.paneState(a.name()).dead();
                    } catch (Exception racing) {
                        return false;
                    }
                });
                long pid = tmux.paneState(a.name()).pid();
                long at = System.currentTimeMillis();
                if (random.nextBoolean()) ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                else tmux.killSession(a.name());
                NetskyHarness.await(a + " recovered (kill " + (recovered + 1) + " of " + KILLS + ")", Duration.ofSeconds(60),
                        () -> readyAgain(h, tmux, a, pid, at));
                recovered++;
            }
            assertEquals(KILLS, recovered);
            for (AgentId a : all) assertFalse(Files.exists(wd.crashloopMarker(a)), a + " must not be taken for a crash loop");

            // `down` is intentional: the watchdog leaves agent0 down, but a crash of agentinfinity meanwhile is still repaired.
            var down = h.run("down");
            assertEquals(0, down.exit(), down.out() + down.err());
            assertTrue(Files.exists(wd.downIntent()));
            long infPid = tmux.paneState("agentinfinity").pid();
            long infAt = System.currentTimeMillis();
            ProcessHandle.of(infPid).orElseThrow().destroyForcibly();
            NetskyHarness.await("agentinfinity revived during down", Duration.ofSeconds(60),
                    () -> readyAgain(h, tmux, AgentId.AGENTINFINITY, infPid, infAt));
            var tick = h.run("watchdog", "tick");
            assertEquals(0, tick.exit(), tick.err());
            assertFalse(tmux.hasSession("agent0"), "the watchdog must not revive what `down` stopped");
        }
    }

    @Test
    void aRuntimeThatAlwaysDiesIsACrashLoopEscalatedOnce() throws Exception {
        try (var h = LifecycleWorld.create()) {
            // "claude" that dies at once: the runtime netsky revives agent0 with (its recorded runtime).
            Path bin = Files.createDirectories(h.base.resolve("fakebin"));
            Path claude = bin.resolve("claude");
            Files.writeString(claude, "#!/bin/sh\necho 'fake claude: crashing on purpose'\nexit 7\n");
            Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
            h.withEnv("PATH", bin + ":" + h.env().get("PATH")).withEnv("NETSKY_READY_TIMEOUT_S", "15")
                    .withEnv("NETSKY_NOTIFY_COMMAND", notifyRecorder(h).toString());
            var wd = WatchdogPaths.of(h.paths(), h.env());
            assertEquals(0, h.run("init").exit());
            var first = h.run("agent", "0", "--type", "claude");
            assertEquals(1, first.exit(), "the start-up death is reported: " + first.out() + first.err());
            assertTrue(first.err().contains("fake claude: crashing on purpose"), "last screen shown: " + first.err());
            // Passes until the loop is recognised. The watchdog respawns the ticker, whose own passes may
            // hold the single-flight lock at times (ours then exit quietly), so count passes, not calls.
            try {
                NetskyHarness.await("the crash-loop marker and a cooldown after it", Duration.ofSeconds(90), () -> {
                    assertEquals(0, h.run("watchdog", "tick").exit());
                    return Files.exists(wd.crashloopMarker(AgentId.AGENT0)) && LifecycleWorld.read(wd.watchdogLog()).contains("crash loop cooldown");
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; log:\n" + LifecycleWorld.read(wd.watchdogLog()), e);
            }
            for (int i = 0; i < 3; i++) assertEquals(0, h.run("watchdog", "tick").exit()); // more passes: still one page
            List<String> pages = pages(h);
            assertEquals(1, pages.size(), "exactly one escalation: " + pages);
            assertTrue(pages.get(0).contains("agent0 is crash-looping"), pages.get(0));
        }
    }

    @Test
    void aStablePaneIsAHangPagedOnceButNotDuringQuietOrForIdleClones() throws Exception {
        try (var h = LifecycleWorld.create()) {
            h.withEnv("NETSKY_HANG_THRESHOLD_S", "2").withEnv("NETSKY_NOTIFY_COMMAND", notifyRecorder(h).toString());
            var wd = WatchdogPaths.of(h.paths(), h.env());
            var up = h.run("up", "1", "--type", "stub", "--no-attach");
            assertEquals(0, up.exit(), up.out() + up.err());
            // Only our ticks from here on: the ticker's own passes would not change the outcome, but keep the count exact.
            new Tmux(h.env()).killSession("netsky-ticker");
            assertEquals(0, h.run("watchdog", "hooks", "--uninstall").exit());

            assertEquals(0, h.run("quiet", "600", "--reason", "test").exit());
            tickEvery(h, 3, Duration.ofMillis(1500));
            assertFalse(Files.exists(wd.hangMarker(AgentId.AGENT0)), "quiet sentinel suppresses");
            assertTrue(pages(h).isEmpty(), pages(h).toString());

            try (var s = Files.list(h.paths().stateDir())) {
                for (Path p : s.toList()) if (p.getFileName().toString().startsWith(wd.quietPrefix())) Files.delete(p);
            }
            tickEvery(h, 3, Duration.ofMillis(1500));
            assertTrue(Files.exists(wd.hangMarker(AgentId.AGENT0)), "hang marker for a stable agent0; log:\n" + LifecycleWorld.read(wd.watchdogLog()));
            assertEquals(WatchdogPaths.HANG_MARKER_BODY, Files.readString(wd.hangMarker(AgentId.AGENT0)).strip());
            assertFalse(Files.exists(wd.hangMarker(AgentId.fromNumber(1))), "an idle clone is idle by design");
            assertFalse(Files.exists(wd.hangMarker(AgentId.AGENTINFINITY)), "a ready agentinfinity with an empty inbox is idle by design");
            List<String> pages = pages(h);
            assertEquals(1, pages.size(), "one page per episode: " + pages);
            assertTrue(pages.get(0).contains("agent0"), pages.get(0));
        }
    }

    @Test
    void twoConcurrentTicksRepairOnce() throws Exception {
        try (var h = LifecycleWorld.create()) {
            Tmux tmux = new Tmux(h.env());
            var wd = WatchdogPaths.of(h.paths(), h.env());
            var up = h.run("up", "1", "--type", "stub", "--no-attach");
            assertEquals(0, up.exit(), up.out() + up.err());
            assertEquals(0, h.run("watchdog", "hooks", "--uninstall").exit());
            tmux.killSession("netsky-ticker");
            // Wait out any pass already in flight (the ticker's), so only the two below compete.
            try (var ch = java.nio.channels.FileChannel.open(wd.tickLock(), java.nio.file.StandardOpenOption.WRITE); var lock = ch.lock()) {
                assertTrue(lock.isValid());
            }
            tmux.killSession("agent1");
            String bin = h.env().get("NETSKY_BIN");
            Callable<BoundedProcess.Result> tick = () -> BoundedProcess.run(List.of(bin, "watchdog", "tick", "--source", "manual"),
                    Duration.ofSeconds(120), h.env(), h.root, null);
            try (var pool = Executors.newFixedThreadPool(2)) {
                var a = pool.submit(tick);
                var b = pool.submit(tick);
                assertEquals(0, a.get().exitCode(), a.get().stderr());
                assertEquals(0, b.get().exitCode(), b.get().stderr());
            }
            String log = LifecycleWorld.read(wd.watchdogLog());
            assertEquals(1, log.split("agent1 session missing; revived", -1).length - 1, "exactly one pass revived agent1:\n" + log);
            assertTrue(tmux.hasSession("agent1") && !tmux.paneState("agent1").dead());
        }
    }

    static void tickEvery(NetskyHarness h, int times, Duration gap) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            var r = h.run("watchdog", "tick");
            assertEquals(0, r.exit(), r.out() + r.err());
            Thread.sleep(gap.toMillis());
        }
    }
}
