package ai.netsky.cli;

import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky status [--json] [--watch [--interval S]]}: the constellation at a glance. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Each agent: runtime, state (working / waiting for input / idle / dead, from the pane's dead flag,",
                "screen changes, dialog text, the ready signal), inbox depth, uptime, restarts, today's tokens and cost,",
                "last message. Also the last watchdog pass, whether the ticker is up, and meta.db's size."})
public final class StatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    StatusCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--json", description = "The JSON report envelope: data {version, last_tick_age_s, ticker_up, meta_db_bytes, agents: […]}.")
    boolean json;

    @Option(names = "--watch", description = "Re-render every --interval seconds until interrupted.")
    boolean watch;

    @Option(names = "--interval", defaultValue = "2", description = "Seconds between --watch frames (minimum 1; default ${DEFAULT-VALUE}).")
    int interval;

    @Option(names = "--sample-ms", defaultValue = "400", description = "Gap between the two screen captures that tell working from idle (default ${DEFAULT-VALUE}).")
    long sampleMs;

    @Option(names = "--frames", hidden = true, defaultValue = "0", description = "Stop --watch after this many frames (tests).")
    int frames;

    @Override
    public Integer call() throws InterruptedException {
        if (json && watch) throw new NetskyException("--watch does not support --json");
        var snap = new StatusSnapshot(ctx);
        if (!watch) {
            var s = snap.take(sampleMs);
            ctx.out().print(json ? JsonReport.render("status", "green", summary(s), data(s)) + "\n" : render(s));
            return 0;
        }
        for (int i = 0; frames == 0 || i < frames; i++) {
            var s = snap.take(sampleMs);
            ctx.out().print("\u001b[H\u001b[2J" + render(s));
            ctx.out().flush();
            if (frames != 0 && i + 1 >= frames) break;
            Thread.sleep(Math.max(1, interval) * 1000L);
        }
        return 0;
    }

    static String summary(StatusSnapshot.Snapshot s) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var a : s.agents()) counts.merge(a.state(), 1, Integer::sum);
        if (counts.isEmpty()) return "no agents";
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(v).append(' ').append(k));
        return s.agents().size() + " agent(s): " + sb;
    }

    static Map<String, Object> data(StatusSnapshot.Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Names.VERSION);
        m.put("last_tick_age_s", s.lastTickAgeS());
        m.put("ticker_up", s.tickerUp());
        m.put("meta_db_bytes", s.metaDbBytes());
        m.put("agents", s.agents().stream().map(StatusSnapshot.Agent::json).toList());
        return m;
    }

    static String render(StatusSnapshot.Snapshot s) {
        StringBuilder sb = new StringBuilder();
        sb.append("netsky ").append(Names.VERSION)
                .append(" · last watchdog pass ").append(s.lastTickAgeS() == null ? "never" : StatusSnapshot.duration(s.lastTickAgeS()) + " ago")
                .append(" · ticker ").append(s.tickerUp() ? "up" : "DOWN")
                .append(" · meta.db ").append(s.metaDbBytes()).append(" bytes\n");
        if (s.agents().isEmpty()) return sb.append("no agents: `netsky up` starts the constellation\n").toString();
        String fmt = "%-14s %-8s %-18s %5s %8s %8s %8s %9s  %s%n";
        sb.append(String.format(fmt, "AGENT", "RUNTIME", "STATE", "INBOX", "UPTIME", "RESTARTS", "TOKENS", "COST", "LAST MESSAGE"));
        for (var a : s.agents()) {
            sb.append(String.format(java.util.Locale.ROOT, fmt, a.name(), a.runtime(), a.state(), a.inbox(), StatusSnapshot.duration(a.uptimeS()), a.restarts(),
                    StatusSnapshot.tokens(a.tokensToday()), String.format(java.util.Locale.ROOT, "$%.2f", a.costToday()), a.lastMessage() == null ? "-" : a.lastMessage()));
            sb.append("               └ ").append(a.why()).append('\n');
        }
        return sb.toString();
    }
}
