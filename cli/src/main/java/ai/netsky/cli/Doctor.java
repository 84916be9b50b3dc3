package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.store.DbDiag;
import ai.netsky.store.EventStore;
import ai.netsky.store.Spool;
import ai.netsky.tmux.Tmux;
import ai.netsky.watchdog.OsTimer;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The health checks behind {@code netsky doctor} (and morning's health section). Each check reads
 * state — tmux, marker files, meta.db, the OS timer's unit files, PATH, free space — and gives a
 * verdict, what it saw and, when not ok, the command that fixes it. Read-only except that opening
 * meta.db imports its spool, which is the fix for a non-empty spool.
 */
final class Doctor {
    enum Verdict { OK, WARN, FAIL }

    record Check(String name, Verdict verdict, String detail, String fix) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("status", switch (verdict) { case OK -> "green"; case WARN -> "yellow"; case FAIL -> "red"; });
            m.put("detail", detail);
            m.put("fix", fix);
            return m;
        }
    }

    record Report(List<Check> checks) {
        String status() {
            if (checks.stream().anyMatch(c -> c.verdict == Verdict.FAIL)) return "red";
            if (checks.stream().anyMatch(c -> c.verdict == Verdict.WARN)) return "yellow";
            return "green";
        }

        boolean healthy() { return !status().equals("red"); }

        List<Check> failing() { return checks.stream().filter(c -> c.verdict == Verdict.FAIL).toList(); }

        String summary() {
            var bad = failing();
            long warn = checks.stream().filter(c -> c.verdict == Verdict.WARN).count();
            if (!bad.isEmpty()) {
                return bad.size() + " of " + checks.size() + " checks failing (" + String.join(", ", bad.stream().map(Check::name).toList()) + ")";
            }
            return "all " + checks.size() + " checks passing" + (warn > 0 ? ", " + warn + " warning(s)" : "");
        }
    }

    static final long STALE_REQUEST_S = 300;
    static final long STALE_PROCESSING_S = 900;
    static final String ENV_MIN_FREE_MB = "NETSKY_DOCTOR_MIN_FREE_MB";

    private final CliContext ctx;
    private final WatchdogPaths wd;
    private final Tmux tmux;
    private final Instant now = Instant.now();

    Doctor(CliContext ctx) {
        this.ctx = ctx;
        this.wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        this.tmux = ctx.tmux();
    }

    Report run() {
        List<Check> out = new ArrayList<>();
        out.add(guard("sessions", this::sessions));
        out.add(guard("ready", this::ready));
        out.add(guard("ticker heartbeat", this::heartbeat));
        out.add(guard("os timer", this::osTimer));
        out.add(guard("hang markers", () -> markers("hang markers", "-hang-suspected",
                "look at the pane (`netsky attach <N>`); once it is working again remove the marker (the watchdog also clears it when the pane changes)")));
        out.add(guard("crash loop", () -> markers("crash loop", "-crashloop",
                "read `netsky watchdog-events` and the pane, fix the cause, then `netsky agent <N> --fresh`; the marker clears on the first healthy tick")));
        out.add(guard("agentinit escalation", this::agentinit));
        out.add(guard("escalation failures", this::escalateFailed));
        out.add(guard("restart handoff", this::restartHandoff));
        out.add(guard("crash handoffs", this::crashHandoffs));
        out.add(guard("quiet", this::quiet));
        out.add(guard("meta.db", this::store));
        out.add(guard("binaries", this::binaries));
        out.add(guard("disk space", this::disk));
        return new Report(out);
    }

    private interface Probe {
        Check run() throws Exception;
    }

    private static Check guard(String name, Probe p) {
        try {
            return p.run();
        } catch (Exception | LinkageError e) {
            return new Check(name, Verdict.FAIL, "check could not run: " + e.getMessage(), "run `netsky doctor` again; if it persists, report it with NETSKY_DEBUG=1");
        }
    }

    private static Check ok(String name, String detail) { return new Check(name, Verdict.OK, detail, null); }

    // ---- sessions and readiness -----------------------------------------------------------

    /** agent0 and clones that were spawned (a rendered prompt exists), plus agent0 always; agentinfinity always. */
    List<AgentId> expectedAgents() {
        TreeSet<AgentId> out = new TreeSet<>();
        out.add(AgentId.AGENT0);
        out.add(AgentId.AGENTINFINITY);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ctx.paths().promptsDir(), "*.md")) {
            for (Path p : ds) {
                String id = p.getFileName().toString().replaceFirst("\\.md$", "");
                if (AgentId.isAgentSession(id)) out.add(AgentId.of(id));
            }
        } catch (IOException none) {
            // Nothing spawned yet.
        }
        return List.copyOf(out);
    }

    private boolean downByIntent() { return Files.exists(wd.downIntent()); }

    private Check sessions() {
        if (!tmux.available()) return new Check("sessions", Verdict.FAIL, "tmux is not installed", "apt-get install tmux (or brew install tmux)");
        List<String> up = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        boolean down = downByIntent();
        for (AgentId a : expectedAgents()) {
            boolean optional = down && AgentId.isAgentSession(a.name());
            if (!tmux.hasSession(a.name())) {
                if (optional) continue;
                problems.add(a + " missing");
                fixes.add(a.equals(AgentId.AGENT0) ? "`netsky up`" : a.equals(AgentId.AGENTINFINITY) ? "`netsky agentinfinity`" : "`netsky agent " + a.number().orElse(0) + "`");
                continue;
            }
            var pane = tmux.paneState(a.name());
            if (pane.dead()) {
                problems.add(a + " pane exited (status " + pane.exitStatus() + ")");
                fixes.add("`netsky watchdog tick` revives it (or `netsky agent " + a.number().orElse(0) + " --fresh`)");
            } else {
                up.add(a.name());
            }
        }
        if (!tmux.hasSession(Names.TICKER_SESSION)) {
            problems.add(Names.TICKER_SESSION + " missing");
            fixes.add("`netsky tick ticker-start`");
        } else {
            up.add(Names.TICKER_SESSION);
        }
        String upText = up.isEmpty() ? "none up" : String.join(", ", up) + " up";
        if (!problems.isEmpty()) return new Check("sessions", Verdict.FAIL, String.join("; ", problems) + " (" + upText + ")", String.join("; ", new TreeSet<>(fixes)));
        return ok("sessions", upText + (down ? " (agent0 and clones down by `netsky down`)" : ""));
    }

    private Check ready() {
        List<String> notReady = new ArrayList<>();
        for (AgentId a : expectedAgents()) {
            if (!tmux.hasSession(a.name())) continue;
            Path marker = a.equals(AgentId.AGENTINFINITY) ? ctx.paths().agentinfinityReadyMarker() : ctx.paths().agentStateFile(a, "ready");
            if (!Files.exists(marker)) notReady.add(a.name());
        }
        if (notReady.isEmpty()) return ok("ready", "every running agent has given its ready signal");
        return new Check("ready", Verdict.WARN, "not ready yet: " + String.join(", ", notReady),
                "wait for start-up, or look at the pane (`netsky attach <N>`) for a dialog; `netsky status` shows the state");
    }

    // ---- watchdog -------------------------------------------------------------------------

    Instant lastBeat() {
        Instant best = null;
        try {
            String s = Files.readString(wd.lastTick()).strip();
            best = Instant.ofEpochSecond(Long.parseLong(s));
        } catch (IOException | NumberFormatException none) {
            // Try the other heartbeat files.
        }
        for (Path p : List.of(wd.tickerHeartbeat(), wd.tickerLog())) {
            try {
                Instant t = Files.getLastModifiedTime(p).toInstant();
                if (best == null || t.isAfter(best)) best = t;
            } catch (IOException none) {
                // Absent.
            }
        }
        return best;
    }

    private Check heartbeat() {
        long interval = ctx.config().integer(ConfigKey.TICKER_INTERVAL_S, null);
        long threshold = Math.max(180, 3 * interval);
        Instant last = lastBeat();
        String fix = "`netsky tick ticker-start` (the ticker), and `netsky launchd install` for the OS timer failsafe";
        if (last == null) return new Check("ticker heartbeat", Verdict.FAIL, "no watchdog pass has ever run", fix);
        long age = Duration.between(last, now).toSeconds();
        if (age > threshold) return new Check("ticker heartbeat", Verdict.FAIL, "last watchdog pass " + ago(age) + " ago (threshold " + threshold + "s)", fix);
        return ok("ticker heartbeat", "last watchdog pass " + ago(age) + " ago");
    }

    private Check osTimer() {
        OsTimer timer = OsTimer.forThisOs(ctx.paths().home(), ctx.netskyBin(), ctx.env());
        var files = timer.files();
        boolean installed = files.stream().allMatch(Files::isRegularFile);
        if (!installed) {
            return new Check("os timer", Verdict.FAIL, timer.name() + " failsafe not installed (" + String.join(", ", files.stream().map(Path::toString).toList()) + ")",
                    "`netsky launchd install`");
        }
        OsTimer.Report r = timer.status();
        if (!r.active()) {
            return new Check("os timer", Verdict.WARN, timer.name() + " unit files installed but the timer is not active: " + String.join("; ", r.lines()),
                    "`netsky launchd install` loads it; check `systemctl --user status " + OsTimer.SYSTEMD_UNIT + ".timer` (or launchctl list)");
        }
        return ok("os timer", timer.name() + " failsafe installed and active");
    }

    private Check markers(String name, String suffix, String fix) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path p : stateFiles()) {
            String n = p.getFileName().toString();
            if (n.endsWith(suffix)) found.add(n.substring(0, n.length() - suffix.length()) + " since " + ago(age(p)) + " ago (" + p + ")");
        }
        if (found.isEmpty()) return ok(name, "none");
        return new Check(name, Verdict.FAIL, String.join("; ", found), fix);
    }

    private Check agentinit() {
        Path m = wd.agentinitEscalationMarker();
        if (!Files.exists(m)) return ok("agentinit escalation", "none");
        return new Check("agentinit escalation", Verdict.FAIL, "agentinfinity failed to boot 3 times within the window (" + m + ", " + ago(age(m)) + " ago)",
                "look at `netsky attach infinity`, then `netsky agentinfinity`; remove " + m + " once it boots");
    }

    private Check escalateFailed() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path p : stateFiles()) if (p.getFileName().toString().startsWith(wd.escalateFailedPrefix())) found.add(p);
        if (found.isEmpty()) return ok("escalation failures", "none");
        return new Check("escalation failures", Verdict.FAIL, found.size() + " page(s) to the owner failed, newest " + ago(found.stream().mapToLong(this::age).min().orElse(0)) + " ago",
                "see ~/.netsky/logs/escalate.err; configure owner.notify_command (or owner.imessage on macOS), test with `netsky escalate test`, then remove "
                        + ctx.paths().stateDir().resolve(wd.escalateFailedPrefix() + "*"));
    }

    private Check restartHandoff() {
        List<String> warn = new ArrayList<>();
        List<String> fail = new ArrayList<>();
        if (Files.exists(wd.restartRequest())) {
            long a = age(wd.restartRequest());
            (a > STALE_REQUEST_S ? fail : warn).add("planned restart request waiting " + ago(a) + " (" + wd.restartRequest() + ")");
        }
        if (Files.exists(wd.restartProcessing())) {
            long a = age(wd.restartProcessing());
            (a > STALE_PROCESSING_S ? fail : warn).add("restart in flight for " + ago(a) + " (" + wd.restartProcessing() + ")");
        }
        if (!fail.isEmpty()) {
            return new Check("restart handoff", Verdict.FAIL, String.join("; ", fail) + (warn.isEmpty() ? "" : "; " + String.join("; ", warn)),
                    "the watchdog claims requests: check the ticker (`netsky doctor`'s heartbeat), run `netsky watchdog tick`, and see "
                            + wd.restartStatusDir().resolve("restart-detached.log"));
        }
        if (!warn.isEmpty()) return new Check("restart handoff", Verdict.WARN, String.join("; ", warn), "none needed yet: the watchdog handles it within a few minutes");
        return ok("restart handoff", "none pending");
    }

    private Check crashHandoffs() throws IOException {
        List<String> archived = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(wd.handoffArchiveDir())) {
            for (Path p : ds) archived.add(p.getFileName().toString());
        } catch (java.nio.file.NoSuchFileException none) {
            // Nothing archived yet.
        }
        List<String> pending = new ArrayList<>();
        long oldest = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(wd.crashHandoffsDir())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (archived.stream().anyMatch(a -> a.endsWith("-" + n))) continue; // delivered and archived
                pending.add(n);
                oldest = Math.max(oldest, age(p));
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // No crash ever.
        }
        List<String> unproven = new ArrayList<>();
        for (Path p : stateFiles()) {
            String n = p.getFileName().toString();
            if (n.endsWith("-pending-liveness-proof")) {
                unproven.add(n.replace("-pending-liveness-proof", ""));
                oldest = Math.max(oldest, age(p));
            }
        }
        if (pending.isEmpty() && unproven.isEmpty()) return ok("crash handoffs", "none pending");
        String detail = (pending.isEmpty() ? "" : pending.size() + " crash handoff(s) not delivered (" + String.join(", ", pending) + ")")
                + (unproven.isEmpty() ? "" : (pending.isEmpty() ? "" : "; ") + "recovery not yet proven for " + String.join(", ", unproven));
        String fix = "the watchdog delivers and proves recovery on its next passes: `netsky watchdog tick`; if it keeps failing see `netsky watchdog-events`";
        return new Check("crash handoffs", oldest > STALE_PROCESSING_S ? Verdict.FAIL : Verdict.WARN, detail + " (oldest " + ago(oldest) + ")", fix);
    }

    private Check quiet() throws IOException {
        long until = 0;
        for (Path p : stateFiles()) {
            String n = p.getFileName().toString();
            if (!n.startsWith(wd.quietPrefix())) continue;
            try {
                until = Math.max(until, Long.parseLong(n.substring(wd.quietPrefix().length())));
            } catch (NumberFormatException ignored) {
                // Not a sentinel.
            }
        }
        if (until <= now.getEpochSecond()) return ok("quiet", "no quiet window");
        return new Check("quiet", Verdict.WARN, "hang detection suppressed for " + ago(until - now.getEpochSecond()) + " more (until " + Instant.ofEpochSecond(until) + ")",
                "none needed; it ends by itself (remove " + ctx.paths().stateDir().resolve(wd.quietPrefix() + until) + " to end it now)");
    }

    // ---- store, binaries, disk ------------------------------------------------------------

    private Check store() {
        Spool spool = new Spool(ctx.paths());
        long before = spool.pendingRows();
        try (EventStore store = new EventStore(ctx.paths(), ctx.env())) {
            Connection c = store.connection();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM spool_imported WHERE 0"); // takes the write lock: proves the file is writable
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            long after = spool.pendingRows();
            if (after > 0) {
                return new Check("meta.db", Verdict.FAIL, after + " spooled row(s) could not be imported from " + spool.dir(),
                        "look at the spool files and `netsky query \"SELECT * FROM source_errors\"`; move unimportable files aside");
            }
            long size = Files.exists(ctx.paths().metaDb()) ? Files.size(ctx.paths().metaDb()) : 0;
            return ok("meta.db", "writable, " + size + " bytes" + (store.importedFromSpool() > 0 ? ", imported " + store.importedFromSpool() + " spooled row(s) just now"
                    : before > 0 ? "" : ", spool empty"));
        } catch (java.sql.SQLException | IOException e) {
            return new Check("meta.db", Verdict.FAIL, DbDiag.explain(ctx.paths(), e, null) + (before > 0 ? "; " + before + " row(s) waiting in the spool" : ""),
                    DbDiag.isLocked(String.valueOf(e.getMessage())) ? "find the process holding it (`fuser " + ctx.paths().metaDb() + "`) or wait"
                            : "fix meta.db (see above); spooled rows import on the next successful open");
        }
    }

    private Check binaries() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        if (onPath("tmux") == null) {
            missing.add("tmux");
            fixes.add("apt-get install tmux (or brew install tmux)");
        }
        TreeSet<String> runtimes = new TreeSet<>();
        runtimes.add(ctx.config().string(ConfigKey.RUNTIME, null));
        for (Path p : stateFiles()) {
            if (p.getFileName().toString().endsWith("-runtime") && Files.isRegularFile(p)) runtimes.add(Files.readString(p).strip());
        }
        for (String rt : runtimes) {
            String bin = switch (rt) { case "claude" -> "claude"; case "codex" -> "codex"; default -> null; };
            if (bin != null && onPath(bin) == null) {
                missing.add(bin + " (runtime " + rt + ")");
                fixes.add("npm install -g " + (bin.equals("claude") ? "@anthropic-ai/claude-code" : "@openai/codex"));
            }
        }
        boolean macos = System.getProperty("os.name", "").toLowerCase().contains("mac");
        if (macos && ctx.config().string(ConfigKey.OWNER_IMESSAGE).isPresent() && onPath("osascript") == null) {
            missing.add("osascript");
            fixes.add("osascript ships with macOS: check PATH includes /usr/bin");
        }
        if (!missing.isEmpty()) return new Check("binaries", Verdict.FAIL, "not on PATH: " + String.join(", ", missing), String.join("; ", fixes));
        return ok("binaries", "tmux" + runtimes.stream().filter(r -> r.equals("claude") || r.equals("codex")).map(r -> ", " + r).reduce("", String::concat) + " on PATH");
    }

    private Path onPath(String name) {
        String path = ctx.env().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
        }
        return null;
    }

    private Check disk() throws IOException {
        Path where = Files.exists(ctx.paths().netskyHome()) ? ctx.paths().netskyHome() : ctx.paths().home();
        long free = Files.getFileStore(where).getUsableSpace();
        long minMb = 1024;
        String env = ctx.env().get(ENV_MIN_FREE_MB);
        if (env != null && !env.isBlank()) {
            try {
                minMb = Long.parseLong(env.strip());
            } catch (NumberFormatException e) {
                throw new NetskyException(ENV_MIN_FREE_MB + "='" + env + "' is not a number of MiB; unset it or set e.g. 1024");
            }
        }
        long freeMb = free / (1024 * 1024);
        String detail = freeMb + " MiB free on the file system of " + where;
        if (freeMb < minMb) return new Check("disk space", Verdict.FAIL, detail + " (minimum " + minMb + " MiB)", "free space: old logs in ~/.netsky/logs, transcripts in ~/.claude/projects, `docker system prune`, …");
        if (freeMb < 5 * minMb) return new Check("disk space", Verdict.WARN, detail + " (low)", "free some space before it runs out");
        return ok("disk space", detail);
    }

    // ---- helpers --------------------------------------------------------------------------

    private List<Path> stateFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ctx.paths().stateDir())) {
            for (Path p : ds) out.add(p);
        } catch (java.nio.file.NoSuchFileException none) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private long age(Path p) {
        try {
            return Math.max(0, Duration.between(Files.getLastModifiedTime(p).toInstant(), now).toSeconds());
        } catch (IOException gone) {
            return 0;
        }
    }

    static String ago(long s) {
        if (s < 120) return s + "s";
        if (s < 7200) return (s / 60) + "m";
        if (s < 172800) return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        return (s / 86400) + "d";
    }
}
