package ai.netsky.watchdog;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.WatchdogPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tick's decisions against a fake constellation (the real one is proven in the cli ITs). */
class WatchdogTickTest {
    @TempDir
    Path home;

    NetskyPaths paths;
    WatchdogPaths wd;
    FakeConstellation c;
    List<String> pages;
    MutableClock clock;
    ByteArrayOutputStream log;

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");

        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId zone) { return this; }
        public Instant instant() { return now; }
        void advance(long s) { now = now.plusSeconds(s); }
    }

    /** Agents as a map name → state; revive either brings them back (ready) or leaves them dead. */
    static final class FakeConstellation implements Constellation {
        final Map<AgentId, AgentState> states = new HashMap<>();
        final List<AgentId> revived = new ArrayList<>();
        boolean reviveWorks = true;
        boolean ticker = true;
        int tickerStarts;
        final List<Path> restarts = new ArrayList<>();

        void alive(AgentId a, String screen) { states.put(a, new Alive(screen)); }

        public List<AgentId> expected() { return states.keySet().stream().sorted().toList(); }
        public AgentState state(AgentId a) { return states.getOrDefault(a, new Absent()); }
        public boolean revive(AgentId a) {
            revived.add(a);
            if (reviveWorks) states.put(a, new Alive("ready " + a));
            else states.put(a, new Dead(1, "boom"));
            return reviveWorks;
        }
        public boolean ready(AgentId a) { return state(a) instanceof Alive; }
        public boolean tickerUp() { return ticker; }
        public boolean startTicker() { tickerStarts++; ticker = true; return true; }
        public void startDetachedRestart(Path handoff) { restarts.add(handoff); }
    }

    @BeforeEach
    void setUp() {
        paths = new NetskyPaths(home);
        wd = WatchdogPaths.of(paths, Map.of("NETSKY_TMP", home.resolve("tmp").toString()));
        c = new FakeConstellation();
        c.alive(AgentId.AGENT0, "agent0 working");
        c.alive(AgentId.AGENTINFINITY, "watching");
        c.alive(AgentId.fromNumber(1), "clone idle");
        pages = new ArrayList<>();
        clock = new MutableClock();
        log = new ByteArrayOutputStream();
    }

    WatchdogTick.Outcome tick() {
        var t = new WatchdogTick(paths, wd, c, (s, b) -> pages.add(s), WatchdogEvents.NONE,
                WatchdogTick.Settings.defaults().withHangThreshold(1800), clock, new PrintStream(log, true));
        return t.run("test");
    }

    @Test
    void healthyConstellationNeedsNoAction() {
        assertEquals(List.of(), tick().actions());
        assertTrue(c.revived.isEmpty());
        assertTrue(pages.isEmpty());
    }

    @Test
    void missingAgent0IsRevivedWithACrashHandoffDeliveredAndArchived() throws Exception {
        c.states.remove(AgentId.AGENT0);
        c.states.put(AgentId.AGENT0, new Constellation.Absent());
        var out = tick();
        assertEquals(List.of(AgentId.AGENT0), c.revived);
        assertTrue(out.actions().stream().anyMatch(a -> a.contains("agent0 session missing; revived and ready")), out.actions().toString());
        Path handoff;
        try (var s = Files.list(wd.crashHandoffsDir())) {
            handoff = s.findFirst().orElseThrow();
        }
        assertTrue(Files.readString(handoff).contains(WatchdogPaths.CRASH_SIGIL));
        var inbox = new Inbox(paths, AgentId.AGENT0);
        var env = ((Inbox.Ready) inbox.read(inbox.pending().get(0))).envelope();
        assertEquals("handoff", env.kind());
        assertTrue(env.text().contains(WatchdogPaths.CRASH_SIGIL));
        try (var s = Files.list(wd.handoffArchiveDir())) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().contains("-crash-crash-handoff-")));
        }
        assertFalse(Files.exists(wd.pendingProof(AgentId.AGENT0)), "ready after revive proves liveness");
        assertTrue(log.toString().matches("(?s)\\[watchdog-tick 2026-11-25T00:00:00Z\\] agent0 session missing.*"), log.toString());
    }

    @Test
    void aDeadPaneCountsAsACrashAndItsLastScreenIsKept() throws Exception {
        c.states.put(AgentId.AGENT0, new Constellation.Dead(143, "Error: out of memory"));
        tick();
        assertEquals(List.of(AgentId.AGENT0), c.revived);
        try (var s = Files.list(wd.crashHandoffsDir())) {
            String text = Files.readString(s.findFirst().orElseThrow());
            assertTrue(text.contains("pane exited with status 143") && text.contains("Error: out of memory"), text);
        }
    }

    @Test
    void aRuntimeThatAlwaysDiesGivesOneCrashLoopMarkerAndExactlyOnePage() {
        c.reviveWorks = false;
        c.states.put(AgentId.AGENT0, new Constellation.Dead(1, "boom"));
        for (int i = 0; i < 12; i++) {
            tick();
            clock.advance(20);
        }
        assertTrue(Files.exists(wd.crashloopMarker(AgentId.AGENT0)));
        assertEquals(1, pages.stream().filter(p -> p.contains("crash-looping")).count(), pages.toString());
        assertTrue(c.revived.size() <= 4, "cooldown stops hammering: " + c.revived.size());
        // Cooldown over: the watchdog keeps trying (no give-up state); a working revive clears the loop.
        c.reviveWorks = true;
        clock.advance(300);
        tick();
        assertFalse(Files.exists(wd.crashloopMarker(AgentId.AGENT0)), "cleared on the first healthy tick after a proven recovery");
        assertEquals(1, pages.stream().filter(p -> p.contains("crash-looping")).count());
    }

    @Test
    void isolatedCrashesThatRecoverAreNotALoop() {
        for (int i = 0; i < 8; i++) {
            c.states.put(AgentId.AGENT0, new Constellation.Absent());
            tick();
            clock.advance(5);
        }
        assertEquals(8, c.revived.size());
        assertFalse(Files.exists(wd.crashloopMarker(AgentId.AGENT0)));
        assertTrue(pages.isEmpty());
    }

    @Test
    void crashStateIsNotClearedWithoutALivenessProof() {
        c.reviveWorks = false;
        c.states.put(AgentId.AGENT0, new Constellation.Absent());
        tick();
        assertTrue(Files.exists(wd.pendingProof(AgentId.AGENT0)), "revive started but agent0 never proved itself");
    }

    @Test
    void stablePaneBecomesAHangWithOnePagePerEpisode() throws Exception {
        tick();
        clock.advance(1801);
        tick();
        assertTrue(Files.exists(wd.hangMarker(AgentId.AGENT0)));
        assertEquals(WatchdogPaths.HANG_MARKER_BODY + "\n", Files.readString(wd.hangMarker(AgentId.AGENT0)));
        clock.advance(600);
        tick();
        assertEquals(1, pages.stream().filter(p -> p.equals("agent0 looks hung")).count(), pages.toString());
        c.alive(AgentId.AGENT0, "agent0 moved on");
        tick();
        assertFalse(Files.exists(wd.hangMarker(AgentId.AGENT0)));
        assertFalse(Files.exists(wd.hangPagedMarker(AgentId.AGENT0)));
    }

    @Test
    void quietSentinelAndIdleClonesSuppressHangs() throws Exception {
        Files.createDirectories(paths.stateDir());
        Files.writeString(wd.quietSentinel(clock.instant().getEpochSecond() + 7200), "quiet: owner asleep");
        Files.writeString(wd.quietSentinel(clock.instant().getEpochSecond() - 10), "expired");
        tick();
        clock.advance(1900);
        tick();
        assertFalse(Files.exists(wd.hangMarker(AgentId.AGENT0)));
        assertFalse(Files.exists(wd.quietSentinel(clock.instant().getEpochSecond() - 1910)), "expired sentinels are reaped");
        assertTrue(log.toString().contains("agent0 hang-suspected suppressed: quiet sentinel"), log.toString());
        assertTrue(pages.isEmpty());
    }

    @Test
    void idleClonesAreSuppressedUntilAnEnvelopeRearmsTheDetector() throws Exception {
        Files.createDirectories(paths.stateDir());
        Files.writeString(wd.agentinfinityReady(), "");
        c.alive(AgentId.AGENT0, "busy");
        tick();
        clock.advance(1900);
        c.alive(AgentId.AGENT0, "busy still moving");
        tick();
        assertTrue(log.toString().contains("agent1 hang-suspected suppressed: idle-by-design (numbered clone, empty inbox)"), log.toString());
        assertFalse(Files.exists(wd.hangMarker(AgentId.fromNumber(1))));
        new ai.netsky.core.EnvelopeWriter(paths).send(AgentId.fromNumber(1), ai.netsky.core.Envelope.now("agent0", "work on this"));
        tick();
        assertTrue(Files.exists(wd.hangMarker(AgentId.fromNumber(1))), "one envelope waiting re-arms the detector");
        assertEquals(List.of("agent1 looks hung"), pages);
        assertTrue(log.toString().contains("agentinfinity hang-suspected suppressed: idle-by-design (ready marker + empty inbox)"), log.toString());
    }

    @Test
    void downIntentStopsRevivalOfAgentsButNotOfAgentinfinity() throws Exception {
        Files.createDirectories(paths.stateDir());
        Files.writeString(wd.downIntent(), "netsky down");
        c.states.put(AgentId.AGENT0, new Constellation.Absent());
        c.states.put(AgentId.AGENTINFINITY, new Constellation.Absent());
        tick();
        assertEquals(List.of(AgentId.AGENTINFINITY), c.revived);
    }

    @Test
    void secondConcurrentTickExitsQuietly() throws Exception {
        Files.createDirectories(paths.stateDir());
        try (var ch = FileChannel.open(wd.tickLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE); var lock = ch.lock()) {
            var second = new java.util.concurrent.atomic.AtomicReference<Object>();
            Thread t = new Thread(() -> {
                try {
                    second.set(tick().ran());
                } catch (Throwable e) {
                    second.set(e);
                }
            });
            t.start();
            t.join();
            assertEquals(Boolean.FALSE, second.get(), "a second pass while the lock is held must not run");
        }
        assertTrue(tick().ran());
    }

    @Test
    void plannedRestartRequestIsClaimedArchivedAndHandedToADetachedRestart() throws Exception {
        Files.createDirectories(wd.tmp());
        Files.writeString(wd.restartRequest(), "handoff: carry on with task 12");
        tick();
        assertFalse(Files.exists(wd.restartRequest()));
        assertTrue(Files.exists(wd.restartProcessing()));
        assertEquals(List.of(wd.restartProcessing()), c.restarts);
        // While the detached restart runs, agent0 being gone is its business, not a crash.
        c.states.put(AgentId.AGENT0, new Constellation.Absent());
        tick();
        assertTrue(c.revived.isEmpty(), "no crash recovery during a planned restart");
        Files.setLastModifiedTime(wd.restartProcessing(), java.nio.file.attribute.FileTime.from(clock.instant().minusSeconds(1000)));
        tick();
        assertEquals(List.of(AgentId.AGENT0), c.revived, "a stale planned restart falls back to crash recovery");
        assertFalse(Files.exists(wd.restartProcessing()));
        try (var s = Files.list(wd.handoffArchiveDir())) {
            var archived = s.toList();
            assertTrue(archived.stream().anyMatch(f -> readQuietly(f).contains("task 12")), "the planned handoff is archived: " + archived);
        }
    }

    @Test
    void missingTickerIsRespawned() {
        c.ticker = false;
        tick();
        assertEquals(1, c.tickerStarts);
    }

    @Test
    void noTickerIsStartedWhenNoConstellationIsExpected() {
        c.states.clear();
        c.ticker = false;
        tick();
        assertEquals(0, c.tickerStarts, "nothing spawned, nothing to drive");
    }

    @Test
    void statusTickRequestsRespectTheInterval() throws Exception {
        Files.createDirectories(wd.tmp());
        Files.writeString(wd.tickIntervalConfig(), "120");
        tick();
        clock.advance(60);
        tick();
        clock.advance(61);
        tick();
        var inbox = new Inbox(paths, AgentId.AGENT0);
        assertEquals(2, inbox.pending().size());
        assertEquals("tick-request", ((Inbox.Ready) inbox.read(inbox.pending().get(0))).envelope().kind());
    }

    @Test
    void agentinitFailuresEscalateOnce() throws Exception {
        Files.createDirectories(paths.stateDir());
        long now = clock.instant().getEpochSecond();
        Files.writeString(wd.agentinitFailures(), (now - 30) + "\n" + (now - 20) + "\n" + (now - 10) + "\n");
        tick();
        tick();
        assertTrue(Files.exists(wd.agentinitEscalationMarker()));
        assertEquals(List.of("agentinit keeps failing"), pages);
    }

    private static String readQuietly(java.nio.file.Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
