package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Inbox;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.store.MetaDb;
import ai.netsky.store.Query;
import ai.netsky.tmux.Tmux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One look at the constellation for {@code netsky status}. An agent's state comes from several
 * signals, in this order: no session or a dead pane (tmux's pane_dead flag) → dead; a dialog's text
 * on screen → waiting for input; the screen changing between two captures a moment apart, or since
 * the previous status run within {@link #RECENT_CHANGE} → working; no ready signal yet and a still
 * screen → waiting for input (stuck at start-up); otherwise idle (with the inbox depth shown, so an
 * idle agent with mail waiting stands out).
 */
final class StatusSnapshot {
    static final Duration RECENT_CHANGE = Duration.ofSeconds(10);

    /** Text that only appears on screen while an agent is blocked on a question. */
    static final List<Pattern> DIALOGS = List.of(
            Pattern.compile("Do you want to proceed\\?"),
            Pattern.compile("I am using this for local development"),
            Pattern.compile("Do you trust the files in this folder\\?"),
            Pattern.compile("Press Enter to continue"),
            Pattern.compile("(?i)\\((y/n)\\)|\\[(y/n)\\]|\\(yes/no\\)"),
            Pattern.compile("❯\\s*1\\.\\s*Yes"),
            Pattern.compile("(?i)allow (this )?command\\?"),
            Pattern.compile("(?i)enter to confirm"));

    record Agent(String name, String runtime, String state, String why, int inbox, String lastMessage, Long uptimeS,
                 long restarts, long tokensToday, double costToday) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent", name);
            m.put("runtime", runtime);
            m.put("state", state);
            m.put("why", why);
            m.put("inbox", inbox);
            m.put("last_message", lastMessage);
            m.put("uptime_s", uptimeS);
            m.put("restarts", restarts);
            m.put("tokens_today", tokensToday);
            m.put("cost_today_usd", Math.round(costToday * 10000) / 10000.0);
            return m;
        }
    }

    record Snapshot(Instant at, Long lastTickAgeS, boolean tickerUp, long metaDbBytes, List<Agent> agents) {}

    private final CliContext ctx;
    private final Tmux tmux;

    StatusSnapshot(CliContext ctx) {
        this.ctx = ctx;
        this.tmux = ctx.tmux();
    }

    Snapshot take(long sampleMs) {
        Instant now = Instant.now();
        List<AgentId> agents = agents();
        Map<AgentId, String> first = new HashMap<>();
        Map<AgentId, Tmux.PaneState> panes = new HashMap<>();
        for (AgentId a : agents) {
            if (!tmux.hasSession(a.name())) continue;
            try {
                panes.put(a, tmux.paneState(a.name()));
                first.put(a, tmux.capturePane(a.name()));
            } catch (NetskyException vanished) {
                panes.remove(a);
            }
        }
        if (!first.isEmpty() && sampleMs > 0) sleep(sampleMs);
        Stats stats = stats();
        List<Agent> out = new ArrayList<>();
        for (AgentId a : agents) out.add(describe(a, panes.get(a), first.get(a), stats, now));
        Instant beat = new Doctor(ctx).lastBeat();
        long size = 0;
        try {
            size = Files.exists(ctx.paths().metaDb()) ? Files.size(ctx.paths().metaDb()) : 0;
        } catch (IOException ignored) {
            // Report 0.
        }
        return new Snapshot(now, beat == null ? null : Duration.between(beat, now).toSeconds(), tmux.hasSession(Names.TICKER_SESSION), size, out);
    }

    /** Agents with a session, a rendered prompt or a runtime file; agent0 first, agentinfinity last. */
    List<AgentId> agents() {
        TreeSet<AgentId> out = new TreeSet<>();
        for (String s : tmux.listSessions()) if (AgentId.isAgentSession(s) || s.equals(Names.AGENTINFINITY)) out.add(AgentId.of(s));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ctx.paths().promptsDir(), "*.md")) {
            for (Path p : ds) {
                String id = p.getFileName().toString().replaceFirst("\\.md$", "");
                if (AgentId.isAgentSession(id) || id.equals(Names.AGENTINFINITY)) out.add(AgentId.of(id));
            }
        } catch (IOException none) {
            // Nothing spawned.
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ctx.paths().stateDir(), "*-runtime")) {
            for (Path p : ds) {
                String id = p.getFileName().toString().replaceFirst("-runtime$", "");
                if (AgentId.isAgentSession(id) || id.equals(Names.AGENTINFINITY)) out.add(AgentId.of(id));
            }
        } catch (IOException none) {
            // Nothing spawned.
        }
        return List.copyOf(out);
    }

    private Agent describe(AgentId a, Tmux.PaneState pane, String screen1, Stats stats, Instant now) {
        String runtime = read(ctx.paths().agentStateFile(a, "runtime"));
        if (runtime == null) runtime = "?";
        int inbox = new Inbox(ctx.paths(), a).pending().size();
        String last = stats.lastMessage.getOrDefault(a.name(), null);
        long restarts = stats.restarts.getOrDefault(a.name(), 0L);
        long tokens = stats.tokens.getOrDefault(a.name(), 0L);
        double cost = stats.cost.getOrDefault(a.name(), 0.0);
        if (pane == null || screen1 == null) {
            boolean stopped = AgentId.isAgentSession(a.name()) && Files.exists(ai.netsky.core.WatchdogPaths.of(ctx.paths(), ctx.env()).downIntent());
            return new Agent(a.name(), runtime, "dead", stopped ? "no tmux session (stopped by `netsky down`)" : "no tmux session", inbox, last, null, restarts, tokens, cost);
        }
        Long uptime = uptime(a, now);
        if (pane.dead()) {
            return new Agent(a.name(), runtime, "dead", "pane exited with status " + pane.exitStatus(), inbox, last, uptime, restarts, tokens, cost);
        }
        String screen2;
        try {
            screen2 = tmux.capturePane(a.name());
            if (tmux.paneState(a.name()).dead()) {
                return new Agent(a.name(), runtime, "dead", "pane exited", inbox, last, uptime, restarts, tokens, cost);
            }
        } catch (NetskyException vanished) {
            return new Agent(a.name(), runtime, "dead", "session vanished", inbox, last, null, restarts, tokens, cost);
        }
        boolean ready = Files.exists(a.equals(AgentId.AGENTINFINITY) ? ctx.paths().agentinfinityReadyMarker() : ctx.paths().agentStateFile(a, "ready"));
        String dialog = dialog(screen2);
        boolean changedNow = !screen1.equals(screen2);
        boolean changedRecently = rememberHash(a, hash(screen2), now);
        String state;
        String why;
        if (dialog != null) {
            state = "waiting for input";
            why = "dialog on screen: " + dialog;
        } else if (changedNow || changedRecently) {
            state = "working";
            why = changedNow ? "screen changing" : "screen changed within " + RECENT_CHANGE.toSeconds() + "s";
        } else if (!ready) {
            state = "waiting for input";
            why = "no ready signal and the screen is still";
        } else {
            state = "idle";
            why = "ready, screen still" + (inbox > 0 ? ", " + inbox + " envelope(s) waiting" : "");
        }
        return new Agent(a.name(), runtime, state, why, inbox, last, uptime, restarts, tokens, cost);
    }

    static String dialog(String screen) {
        for (String line : screen.lines().toList()) {
            for (Pattern p : DIALOGS) {
                if (p.matcher(line).find()) return line.strip().length() > 60 ? line.strip().substring(0, 57) + "..." : line.strip();
            }
        }
        return null;
    }

    /**
     * Remembers the screen hash across status runs ({@code state/<agent>-status-pane}: hash, when it
     * was first seen, when status last looked, epoch ms). True when the screen changed within
     * {@link #RECENT_CHANGE} as far as those runs can tell; the two in-run captures cover the rest.
     */
    private boolean rememberHash(AgentId a, String hash, Instant now) {
        Path f = ctx.paths().agentStateFile(a, "status-pane");
        long t = now.toEpochMilli();
        long firstSeen = 0; // unknown: never counts as recent
        boolean recent = false;
        String prev = read(f);
        if (prev != null) {
            String[] p = prev.split(" ");
            try {
                long prevFirst = Long.parseLong(p[1]);
                long prevRun = Long.parseLong(p[2]);
                if (p[0].equals(hash)) {
                    firstSeen = prevFirst;
                    recent = prevFirst > 0 && t - prevFirst < RECENT_CHANGE.toMillis();
                } else if (t - prevRun < RECENT_CHANGE.toMillis()) {
                    firstSeen = t;
                    recent = true; // changed since a look moments ago
                }
            } catch (RuntimeException garbage) {
                // Rewritten below.
            }
        }
        try {
            ctx.paths().ensureDir(ctx.paths().stateDir());
            Path tmp = f.resolveSibling("." + f.getFileName() + "." + ProcessHandle.current().pid());
            Files.writeString(tmp, hash + " " + firstSeen + " " + t);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException ignored) {
            // Without the file only the two in-run captures count.
        }
        return recent;
    }

    private Long uptime(AgentId a, Instant now) {
        try {
            var r = tmux.raw("display-message", "-p", "-t", "=" + a.name() + ":", "#{session_created}");
            if (!r.ok()) return null;
            return Math.max(0, now.getEpochSecond() - Long.parseLong(r.stdout().strip()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private record Stats(Map<String, String> lastMessage, Map<String, Long> restarts, Map<String, Long> tokens, Map<String, Double> cost) {}

    /** Restarts, today's tokens and each agent's last message, from meta.db (empty when it cannot be read). */
    private Stats stats() {
        Map<String, String> last = new HashMap<>();
        Map<String, Long> restarts = new HashMap<>();
        Map<String, Long> tokens = new HashMap<>();
        Map<String, Double> cost = new HashMap<>();
        if (!MetaDb.exists(ctx.paths())) return new Stats(last, restarts, tokens, cost);
        try (Connection c = MetaDb.openReadOnly(ctx.paths(), 2000)) {
            for (var row : Query.run(c, "SELECT agent, COUNT(*) FROM restarts GROUP BY agent").rows()) {
                restarts.put(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue());
            }
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            for (var row : Query.run(c, "SELECT agent, SUM(input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens), SUM(cost_usd) "
                    + "FROM token_usage WHERE day = ? GROUP BY agent", today).rows()) {
                tokens.put(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue());
                cost.put(String.valueOf(row.get(0)), ((Number) row.get(2)).doubleValue());
            }
            Set<String> seen = new HashSet<>();
            for (var row : Query.run(c, "SELECT ts_utc, kind, from_agent, to_agent, preview FROM communication_events ORDER BY ts_utc DESC LIMIT 500").rows()) {
                String text = row.get(0).toString().substring(11, 19) + " " + row.get(2) + "→" + row.get(3) + (row.get(4) == null ? "" : " " + abbreviate(row.get(4).toString()));
                for (Object who : List.of(String.valueOf(row.get(2)), String.valueOf(row.get(3)))) {
                    if (seen.add(who.toString())) last.put(who.toString(), text);
                }
            }
        } catch (Exception unreadable) {
            // Status still shows the live signals.
        }
        return new Stats(last, restarts, tokens, cost);
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() > 40 ? one.substring(0, 37) + "..." : one;
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            return Integer.toHexString(s.hashCode());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String duration(Long s) {
        if (s == null) return "-";
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m";
        if (s < 86400) return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }

    static String tokens(long n) {
        if (n < 1000) return Long.toString(n);
        if (n < 1_000_000) return String.format(Locale.ROOT, "%.1fk", n / 1000.0);
        return String.format(Locale.ROOT, "%.1fM", n / 1_000_000.0);
    }
}
