package ai.netsky.watchdog;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * {@code netsky watchdog tick}: one deterministic pass of self-repair (spec watchdog.md §6).
 * Single-flight under a file lock; every repair is an action whose result is checked; crash state is
 * only cleared after a liveness proof; every condition that needs a human pages once per episode.
 */
public final class WatchdogTick {

    /** Tunables; defaults follow the spec where it gives values and are documented where it doesn't. */
    /**
     * A crash loop is either {@code unprovenMax} revives in a row that never proved liveness (a runtime
     * that always dies), or more than {@code windowMax} revives inside {@code crashloopWindowS} even if
     * each came back (something keeps killing it). Isolated crashes that recover are not a loop.
     */
    public record Settings(long crashloopWindowS, int windowMax, int unprovenMax, long reviveCooldownS, long hangThresholdS,
                           long agentinitWindowS, int agentinitThreshold) {
        public static Settings defaults() {
            return new Settings(600, 10, 3, 300, 1800, 3600, 3);
        }

        public Settings withHangThreshold(long s) {
            return new Settings(crashloopWindowS, windowMax, unprovenMax, reviveCooldownS, s, agentinitWindowS, agentinitThreshold);
        }
    }

    /** The result of a pass: whether it ran (vs. another pass holding the lock) and what it did. */
    public record Outcome(boolean ran, List<String> actions) {}

    private final NetskyPaths paths;
    private final WatchdogPaths wd;
    private final Constellation constellation;
    private final BiPredicate<String, String> pager;
    private final WatchdogEvents events;
    private final Settings settings;
    private final Clock clock;
    private final PrintStream out;
    private final List<String> actions = new ArrayList<>();

    public WatchdogTick(NetskyPaths paths, WatchdogPaths wd, Constellation constellation, BiPredicate<String, String> pager,
                        WatchdogEvents events, Settings settings, Clock clock, PrintStream out) {
        this.paths = paths;
        this.wd = wd;
        this.constellation = constellation;
        this.pager = pager;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.out = out;
    }

    public Outcome run(String source) {
        paths.ensureDir(paths.stateDir());
        try (FileChannel ch = FileChannel.open(wd.tickLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                return new Outcome(false, List.of());
            }
            pass(source);
            write(wd.lastTick(), Long.toString(now().getEpochSecond()));
            events.tick(source, "{\"actions\":" + actions.size() + "}");
            return new Outcome(true, List.copyOf(actions));
        } catch (java.nio.channels.OverlappingFileLockException heldInThisJvm) {
            return new Outcome(false, List.of()); // another pass in this process holds it: single-flight still applies
        } catch (IOException e) {
            throw new NetskyException("watchdog tick cannot take its lock " + wd.tickLock() + ": " + e.getMessage());
        }
    }

    private void pass(String source) {
        claimPlannedRestart();
        boolean downByIntent = Files.exists(wd.downIntent());
        boolean restartInFlight = restartInFlight();
        List<AgentId> expected = constellation.expected();
        for (AgentId agent : expected) {
            if (downByIntent && AgentId.isAgentSession(agent.name())) continue; // `netsky down` stopped it on purpose
            if (restartInFlight && AgentId.isAgentSession(agent.name())) continue; // the detached restart owns agent0 and clones
            checkLiveness(agent);
        }
        // The ticker drives the watchdog for a constellation; with none spawned (or its state removed)
        // there is nothing to drive, and respawning it would resurrect a tmux server someone killed.
        if (expected.isEmpty()) {
            // nothing to watch
        } else if (!constellation.tickerUp()) {
            int misses = readInt(wd.tickerMissingCount()) + 1;
            write(wd.tickerMissingCount(), Integer.toString(misses));
            boolean back = constellation.startTicker();
            act("netsky-ticker missing (" + misses + " consecutive); respawn " + (back ? "ok" : "FAILED"));
            events.event("ticker-missing", "netsky-ticker", back ? "warn" : "error", back ? "respawned" : "respawn-failed", "misses=" + misses);
            if (!back && misses >= 3) page("netsky-ticker keeps failing to start", "The ticker session has been missing for " + misses + " watchdog passes and respawning it failed. The OS timer still runs the watchdog.");
        } else if (Files.exists(wd.tickerMissingCount())) {
            delete(wd.tickerMissingCount());
        }
        checkAgentinitFailures();
        statusTick();
    }

    // ---- planned restart -------------------------------------------------------------------

    private void claimPlannedRestart() {
        Path request = wd.restartRequest();
        if (!Files.exists(request)) return;
        try {
            Files.move(request, wd.restartProcessing(), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException raced) {
            return;
        } catch (IOException e) {
            act("could not claim planned restart " + request + ": " + e.getMessage());
            return;
        }
        Path archived = archiveHandoff("planned", wd.restartProcessing());
        act("claimed planned restart request; archived to " + archived + "; starting detached `netsky restart`");
        events.event("restart-claimed", "agent0", "info", "claimed", archived.toString());
        constellation.startDetachedRestart(wd.restartProcessing());
    }

    /**
     * A claimed planned restart owns agent0 and the clones until it archives its processing file. One
     * that has not finished within {@link #RESTART_STALE_S} failed: archive it and let crash recovery act.
     */
    private boolean restartInFlight() {
        Path processing = wd.restartProcessing();
        if (!Files.exists(processing)) return false;
        try {
            long age = now().getEpochSecond() - Files.getLastModifiedTime(processing).toInstant().getEpochSecond();
            if (age < RESTART_STALE_S) return true;
            Path archived = archiveHandoff("stale-planned", processing);
            Files.deleteIfExists(processing);
            act("planned restart did not finish within " + RESTART_STALE_S + " s; archived " + archived.getFileName() + " and resumed crash recovery");
            events.event("restart", "agent0", "error", "stale", archived.toString());
        } catch (IOException e) {
            return true;
        }
        return false;
    }

    public static final long RESTART_STALE_S = 900;

    // ---- liveness, crash recovery, crash loops ------------------------------------------------

    private void checkLiveness(AgentId agent) {
        Constellation.AgentState state = constellation.state(agent);
        switch (state) {
            case Constellation.Alive alive -> {
                proveRecovery(agent);
                checkHang(agent, alive.screen());
            }
            case Constellation.Absent absent -> recover(agent, "session missing", "");
            case Constellation.Dead dead -> recover(agent, "pane exited with status " + dead.exitStatus(), dead.lastScreen());
        }
    }

    private void recover(AgentId agent, String why, String lastScreen) {
        long now = now().getEpochSecond();
        List<Long> attempts = recordAttempt(agent, now);
        int unproven = readInt(wd.pendingProof(agent));
        boolean looping = unproven >= settings.unprovenMax() || attempts.size() > settings.windowMax();
        events.crash(why.startsWith("pane") ? "pane-exited" : "session-missing", agent.name(), why);
        if (looping) {
            if (!Files.exists(wd.crashloopMarker(agent))) {
                String pattern = unproven + " revives in a row without a liveness proof, " + attempts.size() + " within " + settings.crashloopWindowS() + " s";
                write(wd.crashloopMarker(agent), "crash loop: " + pattern + "; last: " + why + "\n");
                act(agent + " crash loop (" + pattern + "); marker written");
                events.event("crashloop", agent.name(), "critical", "marker-written", why);
                page(agent + " is crash-looping", agent + ": " + pattern + " (" + why + "). The watchdog keeps retrying every "
                        + settings.reviveCooldownS() + " s. Last screen:\n" + tail(lastScreen));
            }
            long last = attempts.size() >= 2 ? attempts.get(attempts.size() - 2) : 0;
            if (now - last < settings.reviveCooldownS()) {
                act(agent + " " + why + "; crash loop cooldown, next revive in " + (settings.reviveCooldownS() - (now - last)) + " s");
                dropLastAttempt(agent);
                return;
            }
        }
        Path handoff = null;
        if (agent.equals(AgentId.AGENT0)) handoff = writeCrashHandoff(agent, why, lastScreen);
        write(wd.pendingProof(agent), Integer.toString(unproven + 1));
        boolean ready = constellation.revive(agent);
        act(agent + " " + why + "; revived " + (ready ? "and ready" : "but NOT ready yet"));
        events.event("revive", agent.name(), ready ? "warn" : "error", ready ? "ready" : "not-ready", why);
        if (handoff != null) deliverHandoff(agent, handoff, "crash");
        if (ready) proveRecovery(agent);
    }

    /** A recovery counts only once the agent is alive and has given its ready signal. */
    private void proveRecovery(AgentId agent) {
        if (!Files.exists(wd.pendingProof(agent)) && !Files.exists(wd.crashloopMarker(agent))) return;
        if (!(constellation.state(agent) instanceof Constellation.Alive) || !constellation.ready(agent)) return;
        boolean wasPending = Files.exists(wd.pendingProof(agent));
        delete(wd.pendingProof(agent));
        if (wasPending) events.event("liveness-proof", agent.name(), "info", "proven", "alive and ready after revive");
        if (Files.exists(wd.crashloopMarker(agent))) {
            delete(wd.crashloopMarker(agent));
            delete(wd.restartAttempts(agent));
            act(agent + " healthy after recovery; crash-loop marker cleared");
            events.event("crashloop", agent.name(), "info", "cleared", "liveness proven");
        }
    }

    private List<Long> recordAttempt(AgentId agent, long now) {
        List<Long> kept = new ArrayList<>();
        for (String line : readLines(wd.restartAttempts(agent))) {
            try {
                long t = Long.parseLong(line.strip());
                if (now - t < settings.crashloopWindowS()) kept.add(t);
            } catch (NumberFormatException garbage) {
                // A torn line from a crash is dropped; the window self-heals.
            }
        }
        kept.add(now);
        StringBuilder b = new StringBuilder();
        kept.forEach(t -> b.append(t).append('\n'));
        write(wd.restartAttempts(agent), b.toString());
        return kept;
    }

    private void dropLastAttempt(AgentId agent) {
        List<String> lines = new ArrayList<>(readLines(wd.restartAttempts(agent)));
        if (!lines.isEmpty()) lines.remove(lines.size() - 1);
        write(wd.restartAttempts(agent), lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    }

    private Path writeCrashHandoff(AgentId agent, String why, String lastScreen) {
        Path dir = paths.ensureDir(wd.crashHandoffsDir());
        Path file = dir.resolve("crash-handoff-" + now().getEpochSecond() + "-" + ProcessHandle.current().pid() + ".md");
        String text = "# " + WatchdogPaths.CRASH_SIGIL + "\n\n"
                + "agent: " + agent + "\n"
                + "detected_at: " + Timestamps.rfc3339(now()) + "\n"
                + "reason: " + why + "\n\n"
                + "You were restarted after a crash. Re-read your notes and open work, check `netsky status`, and carry on.\n"
                + (lastScreen.isBlank() ? "" : "\n## last screen before the crash\n\n```\n" + tail(lastScreen) + "\n```\n");
        write(file, text);
        return file;
    }

    /** Archives a handoff file (copy) into the handoff archive and returns the archived path. */
    private Path archiveHandoff(String kind, Path source) {
        Path dir = paths.ensureDir(wd.handoffArchiveDir());
        Path dest = dir.resolve(Timestamps.epochNanos() + "-" + kind + "-" + source.getFileName());
        try {
            Files.copy(source, dest, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new NetskyException("cannot archive handoff " + source + " to " + dir + ": " + e.getMessage());
        }
        return dest;
    }

    private void deliverHandoff(AgentId agent, Path handoff, String kind) {
        try {
            String text = Files.readString(handoff);
            new EnvelopeWriter(paths).send(agent, Envelope.now(AgentId.AGENTINFINITY.name(), text).withTo(agent.name())
                    .withKind("handoff").withId(kind + "-handoff-" + now().getEpochSecond()));
            Path archived = archiveHandoff(kind, handoff);
            act("delivered " + kind + " handoff to " + agent + "; archived " + archived.getFileName());
        } catch (IOException e) {
            act("could not deliver handoff " + handoff + ": " + e.getMessage());
        }
    }

    // ---- hang detection -------------------------------------------------------------------

    private void checkHang(AgentId agent, String screen) {
        String hash = sha256(screen);
        long now = now().getEpochSecond();
        String[] prev = readLines(wd.paneHashFile(agent)).stream().findFirst().orElse("").split(" ");
        if (prev.length < 2 || !prev[0].equals(hash)) {
            write(wd.paneHashFile(agent), hash + " " + now + "\n");
            if (Files.exists(wd.hangMarker(agent))) {
                delete(wd.hangMarker(agent));
                delete(wd.hangPagedMarker(agent));
                act(agent + " pane changed; hang episode over");
                events.event("hang", agent.name(), "info", "cleared", "pane changed");
            }
            return;
        }
        long stable = now - Long.parseLong(prev[1]);
        if (stable < settings.hangThresholdS()) return;
        String suppressed = suppression(agent);
        if (suppressed != null) {
            log(agent + " hang-suspected suppressed: " + suppressed);
            return;
        }
        if (!Files.exists(wd.hangMarker(agent))) {
            write(wd.hangMarker(agent), WatchdogPaths.HANG_MARKER_BODY + "\n");
            act(agent + " hang-suspected, pane stable " + stable + "s");
            events.event("hang", agent.name(), "critical", "suspected", "pane stable " + stable + "s");
        }
        if (!Files.exists(wd.hangPagedMarker(agent))) {
            boolean paged = page(agent + " looks hung", agent + "'s pane has not changed for " + stable + " s. Owner decision: investigate.\n" + tail(screen));
            if (paged) write(wd.hangPagedMarker(agent), Long.toString(now));
        }
    }

    private String suppression(AgentId agent) {
        long quiet = quietUntil();
        if (quiet > now().getEpochSecond()) return "quiet sentinel until " + Instant.ofEpochSecond(quiet);
        boolean inboxEmpty = new Inbox(paths, agent).pending().isEmpty();
        if (agent.equals(AgentId.AGENTINFINITY) && Files.exists(wd.agentinfinityReady()) && inboxEmpty) {
            return "idle-by-design (ready marker + empty inbox)";
        }
        if (agent.role() == AgentId.Role.CLONE && inboxEmpty) return "idle-by-design (numbered clone, empty inbox)";
        return null;
    }

    /** The latest quiet sentinel's epoch; expired sentinels are reaped. */
    public long quietUntil() {
        long best = 0;
        try (var s = Files.list(paths.stateDir())) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(wd.quietPrefix())) continue;
                try {
                    long until = Long.parseLong(n.substring(wd.quietPrefix().length()));
                    if (until <= now().getEpochSecond()) Files.deleteIfExists(p);
                    else best = Math.max(best, until);
                } catch (NumberFormatException notOurs) {
                    // Someone else's file with our prefix: leave it.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return best;
    }

    // ---- agentinit and status ticks --------------------------------------------------------

    private void checkAgentinitFailures() {
        long now = now().getEpochSecond();
        long recent = readLines(wd.agentinitFailures()).stream().map(String::strip).filter(l -> l.matches("\\d+"))
                .mapToLong(Long::parseLong).filter(t -> now - t < settings.agentinitWindowS()).count();
        if (recent >= settings.agentinitThreshold() && !Files.exists(wd.agentinitEscalationMarker())) {
            write(wd.agentinitEscalationMarker(), recent + " agentinit failures within " + settings.agentinitWindowS() + " s\n");
            act("agentinit failed " + recent + " times within " + settings.agentinitWindowS() + " s; escalation marker written");
            events.event("agentinit", "agentinfinity", "critical", "escalated", recent + " failures");
            page("agentinit keeps failing", recent + " agentinit failures within " + settings.agentinitWindowS() + " s: agentinfinity cannot boot.");
        }
    }

    private void statusTick() {
        List<String> cfg = readLines(wd.tickIntervalConfig());
        if (cfg.isEmpty()) return;
        long interval;
        try {
            interval = Long.parseLong(cfg.get(0).strip());
        } catch (NumberFormatException e) {
            return;
        }
        long now = now().getEpochSecond();
        List<String> last = readLines(wd.tickLast());
        long lastAt = last.isEmpty() ? 0 : Long.parseLong(last.get(0).strip());
        if (now - lastAt < interval) return;
        new EnvelopeWriter(paths).send(AgentId.AGENT0, Envelope.now(AgentId.AGENTINFINITY.name(), TickRequest.text())
                .withTo(AgentId.AGENT0.name()).withKind("tick-request"));
        write(wd.tickLast(), Long.toString(now));
        act("status tick requested (interval " + interval + " s)");
    }

    // ---- helpers ---------------------------------------------------------------------------

    private boolean page(String subject, String body) {
        boolean ok = pager.test(subject, body);
        log((ok ? "paged owner: " : "page FAILED (escalate-failed marker written): ") + subject);
        events.event("escalation", null, ok ? "warn" : "critical", ok ? "sent" : "failed", subject);
        return ok;
    }

    private void act(String line) {
        actions.add(line);
        log(line);
    }

    private void log(String line) {
        String stamped = "[watchdog-tick " + Timestamps.utcSeconds(now()) + "] " + line;
        out.println(stamped);
        try {
            paths.ensureDir(paths.logsDir());
            Files.writeString(wd.watchdogLog(), stamped + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            out.println("[watchdog-tick] cannot append to " + wd.watchdogLog() + ": " + e.getMessage());
        }
    }

    private Instant now() { return clock.instant(); }

    static String tail(String screen) {
        List<String> lines = screen.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (NoSuchFileException absent) {
            return List.of();
        } catch (IOException e) {
            throw new NetskyException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static int readInt(Path p) {
        List<String> l = readLines(p);
        try {
            return l.isEmpty() ? 0 : Integer.parseInt(l.get(0).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Small state files: tmp + atomic rename, so a crash mid-write never leaves half a marker. */
    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Path tmp = p.resolveSibling("." + p.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NetskyException("cannot write " + p + ": " + e.getMessage() + "; check permissions");
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new NetskyException("cannot remove " + p + ": " + e.getMessage());
        }
    }
}
