package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.store.Event;
import ai.netsky.store.Query;
import ai.netsky.watchdog.Escalator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky morning [--send] [--json]}: the overnight briefing. */
@Command(name = "morning", mixinStandardHelpOptions = true,
        description = {"The overnight briefing: doctor's verdict, watchdog markers, what happened overnight (crashes, restarts,",
                "escalations, serious watchdog events, envelopes, tokens and cost), git log of the netsky root, the brief's tail,",
                "the loop-resume note and the ticker log tail. --send delivers it to the owner."})
public final class MorningCommand implements Callable<Integer> {
    static final String BRIEF = "briefs/overnight-resilience-adversarial-review.md";
    static final Duration REAP_AFTER = Duration.ofDays(14);

    private final CliContext ctx;

    MorningCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--send", description = {"Deliver the briefing to the owner: through the escalation notifiers (owner.notify_command,",
            "owner.imessage on macOS) when configured, else as an envelope to agent0, which relays it with its reply tool."})
    boolean send;

    @Option(names = "--json", description = "The briefing as the JSON report envelope instead of text.")
    boolean json;

    @Option(names = "--since", defaultValue = "12h", description = "What counts as overnight (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--no-ingest", description = "Do not import new Claude Code transcripts (~/.claude/projects) before counting tokens.")
    boolean noIngest;

    @Override
    public Integer call() {
        WatchdogPaths wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        reap();
        Instant from = TimeWindow.since(since, Instant.now());
        Doctor.Report health = new Doctor(ctx).run();
        Map<String, Object> data = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();

        text.append("== health\n");
        if (health.healthy()) {
            text.append(DoctorCommand.render(health, true));
        } else {
            text.append("doctor exited 1 — full output:\n");
            List<String> lines = DoctorCommand.render(health, false).lines().toList();
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> text.append(l).append('\n'));
        }
        data.put("health", Map.of("status", health.status(), "summary", health.summary(),
                "checks", health.checks().stream().filter(c -> c.verdict() != Doctor.Verdict.OK).map(Doctor.Check::json).toList()));

        List<String> markers = new ArrayList<>();
        for (Path m : List.of(wd.hangMarker(AgentId.AGENT0), wd.agentinitEscalationMarker())) {
            if (Files.exists(m)) markers.add(m + ": " + firstLine(m));
        }
        text.append("\n== markers\n").append(markers.isEmpty() ? "none\n" : String.join("\n", markers) + "\n");
        data.put("markers", markers);

        String ingested = ingest();
        Map<String, Object> overnight = overnight(from);
        if (ingested != null) overnight.put("ingest", ingested);
        text.append("\n== overnight (since ").append(from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)).append(")\n");
        @SuppressWarnings("unchecked") Map<String, Object> counts = (Map<String, Object>) overnight.get("counts");
        counts.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        @SuppressWarnings("unchecked") List<String> serious = (List<String>) overnight.get("serious_events");
        serious.forEach(s -> text.append("  ").append(s).append('\n'));
        @SuppressWarnings("unchecked") List<String> spend = (List<String>) overnight.get("tokens");
        spend.forEach(s -> text.append("  ").append(s).append('\n'));
        if (ingested != null) text.append("  (").append(ingested).append(")\n");
        data.put("overnight", overnight);

        List<String> git = gitLog(from);
        text.append("\n== git log\n").append(git.isEmpty() ? "(no commits, or the netsky root is not a git repository)\n" : String.join("\n", git) + "\n");
        data.put("git_log", git);

        List<String> brief = tail(ctx.netskyRoot().resolve(BRIEF), 15);
        if (!brief.isEmpty()) text.append("\n== brief (").append(BRIEF).append(")\n").append(String.join("\n", brief)).append('\n');
        data.put("brief_tail", brief);

        List<String> resume = tail(wd.tmp().resolve("netsky-loop-resume.txt"), 20);
        if (!resume.isEmpty()) text.append("\n== loop resume\n").append(String.join("\n", resume)).append('\n');
        data.put("loop_resume", resume);

        List<String> log = tail(wd.tickerLog(), 20);
        if (log.isEmpty()) log = tail(wd.watchdogLog(), 20);
        text.append("\n== watchdog log tail\n").append(log.isEmpty() ? "(empty)\n" : String.join("\n", log) + "\n");
        data.put("log_tail", log);

        if (json) {
            ctx.out().println(JsonReport.render("morning", health.status(), "overnight briefing: " + health.summary(), data));
        } else {
            ctx.out().print(text);
        }
        if (send) deliver(text.toString());
        return 0;
    }

    private void deliver(String text) {
        var notifiers = OwnerPager.notifiers(ctx);
        String status;
        if (!notifiers.isEmpty()) {
            var outcome = new Escalator(ctx.paths(), notifiers, ctx.env()).escalate("morning briefing", text);
            outcome.lines().forEach(l -> Ui.line(ctx.err(), "morning", l));
            status = outcome.delivered() ? "sent" : "failed";
            ctx.record(new Event.Escalation(Instant.now(), "morning briefing", outcome.delivered(), "notifier", String.join("; ", outcome.lines())));
            if (!outcome.delivered()) {
                ctx.record(directive(status));
                throw new NetskyException("the morning briefing was not delivered; see ~/.netsky/logs/escalate.err and `netsky doctor`");
            }
        } else {
            new EnvelopeWriter(ctx.paths()).send(AgentId.AGENT0, Envelope.now(AgentId.AGENTINFINITY.name(), "morning briefing for the owner:\n\n" + text)
                    .withTo(AgentId.AGENT0.name()).withKind("morning_brief").withId("morning-brief-" + Instant.now().getEpochSecond()));
            ctx.err().println("--send requested; agent0 should pipe this into a reply tool call.");
            status = "requested";
        }
        ctx.record(directive(status));
        try {
            Path marker = ctx.paths().ensureDir(ctx.paths().stateDir()).resolve("morning-brief-" + Instant.now().getEpochSecond());
            Files.writeString(marker, status + "\n");
        } catch (IOException ignored) {
            // The marker only feeds reaping and forensics.
        }
    }

    /** Imports new transcripts so the token figures are current; a failure is reported, not fatal. */
    private String ingest() {
        java.nio.file.Path root = ai.netsky.store.ClaudeSessionIngest.defaultRoot(ctx.paths());
        if (noIngest || !Files.isDirectory(root)) return null;
        try (var store = new ai.netsky.store.EventStore(ctx.paths(), ctx.env())) {
            var s = new ai.netsky.store.ClaudeSessionIngest(ctx.paths()).ingest(root, store);
            return "ingested " + s.inserted() + " new turn(s) from " + s.files() + " transcript(s)";
        } catch (NetskyException e) {
            return "transcript ingest failed: " + e.getMessage();
        }
    }

    private static Event directive(String status) {
        return new Event.Directive(Instant.now(), "morning", null, "netsky morning --send", "morning_brief", "agent0", status, "{}");
    }

    /** Removes {@code state/morning-brief-*} markers older than 14 days. */
    private void reap() {
        Instant cutoff = Instant.now().minus(REAP_AFTER);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ctx.paths().stateDir(), "morning-brief-*")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
            }
        } catch (IOException none) {
            // Nothing to reap.
        }
    }

    private Map<String, Object> overnight(Instant from) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> counts = new LinkedHashMap<>();
        List<String> serious = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        String f = TimeWindow.column(from);
        try {
            var r = Reports.read(ctx, "SELECT (SELECT COUNT(*) FROM crashes WHERE ts_utc >= ?1), (SELECT COUNT(*) FROM restarts WHERE ts_utc >= ?1),"
                    + " (SELECT COUNT(*) FROM escalations WHERE ts_utc >= ?1), (SELECT COUNT(*) FROM escalations WHERE ts_utc >= ?1 AND delivered = 0),"
                    + " (SELECT COUNT(*) FROM communication_events WHERE ts_utc >= ?1 AND kind = 'sent'),"
                    + " (SELECT COUNT(*) FROM communication_events WHERE ts_utc >= ?1 AND kind = 'quarantined'),"
                    + " (SELECT COUNT(*) FROM ticks WHERE ts_utc >= ?1), (SELECT COUNT(*) FROM cli_invocations WHERE ts_utc >= ?1 AND exit_code <> 0)", f);
            List<Object> row = r.rows().getFirst();
            String[] names = {"crashes", "restarts", "escalations", "escalations failed", "envelopes sent", "envelopes quarantined", "ticks", "failed netsky runs"};
            for (int i = 0; i < names.length; i++) counts.put(names[i], row.get(i));
            for (var e : Reports.read(ctx, "SELECT ts_utc, name, agent, severity, status, detail FROM watchdog_events WHERE ts_utc >= ? AND severity IN ('error', 'critical')"
                    + " ORDER BY ts_utc DESC LIMIT 10", f).rows()) {
                serious.add(e.get(0) + " " + e.get(3) + " " + e.get(1) + " " + (e.get(2) == null ? "" : e.get(2) + " ") + (e.get(4) == null ? "" : e.get(4))
                        + (e.get(5) == null ? "" : ": " + StatusSnapshot.abbreviate(e.get(5).toString())));
            }
            Query.Result t = Reports.read(ctx, "SELECT agent, SUM(input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens), ROUND(SUM(cost_usd), 2)"
                    + " FROM token_usage WHERE ts_utc >= ? GROUP BY agent ORDER BY 3 DESC", f);
            for (var e : t.rows()) tokens.add("tokens " + e.get(0) + ": " + StatusSnapshot.tokens(((Number) e.get(1)).longValue()) + " ($" + e.get(2) + ")");
        } catch (NetskyException unreadable) {
            counts.put("meta.db", "unreadable: " + unreadable.getMessage());
        }
        out.put("counts", counts);
        out.put("serious_events", serious);
        out.put("tokens", tokens);
        return out;
    }

    private List<String> gitLog(Instant from) {
        Path root = ctx.netskyRoot();
        if (!Files.exists(root.resolve(".git"))) return List.of();
        try {
            var r = BoundedProcess.run(List.of("git", "-C", root.toString(), "log", "--since=" + from, "--oneline", "-n", "20"), Duration.ofSeconds(10), ctx.env(), null, null);
            return r.ok() ? r.stdout().lines().toList() : List.of("git log failed: " + r.stderr().strip());
        } catch (NetskyException noGit) {
            return List.of("git log unavailable: " + noGit.getMessage());
        }
    }

    private static List<String> tail(Path p, int n) {
        try {
            List<String> lines = Files.readAllLines(p);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException | RuntimeException none) {
            return List.of();
        }
    }

    private static String firstLine(Path p) {
        var t = tail(p, 1000);
        return t.isEmpty() ? "" : t.getFirst();
    }
}
