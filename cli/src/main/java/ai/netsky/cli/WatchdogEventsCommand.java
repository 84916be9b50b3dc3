package ai.netsky.cli;

import ai.netsky.store.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky watchdog-events}: the watchdog_events table, newest last. */
@Command(name = "watchdog-events", mixinStandardHelpOptions = true,
        description = "What the watchdog saw and did (name, agent, severity, status, detail), from meta.db.")
public final class WatchdogEventsCommand implements Runnable {
    private final CliContext ctx;

    WatchdogEventsCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--since", defaultValue = "24h", description = "How far back: 30m, 12h, 7d or an ISO timestamp (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--agent", description = "Only this agent.")
    String agent;

    @Option(names = "--severity", split = ",", description = "Only these severities (info, warn, error, critical).")
    List<String> severities;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (the newest), default ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--json", description = "The JSON report envelope: data {since, events: [{ts_utc, name, agent, severity, status, detail}]}.")
    boolean json;

    @Override
    public void run() {
        Instant from = TimeWindow.since(since, Instant.now());
        StringBuilder where = new StringBuilder("ts_utc >= ?");
        List<Object> params = new ArrayList<>(List.of(TimeWindow.column(from)));
        if (agent != null) {
            where.append(" AND agent = ?");
            params.add(agent);
        }
        if (severities != null && !severities.isEmpty()) {
            where.append(" AND severity IN (").append(String.join(", ", severities.stream().map(s -> "?").toList())).append(")");
            params.addAll(severities);
        }
        params.add(Math.max(1, limit));
        Query.Result r = Reports.read(ctx, "SELECT * FROM (SELECT ts_utc, name, agent, severity, status, detail FROM watchdog_events WHERE " + where
                + " ORDER BY ts_utc DESC, id DESC LIMIT ?) ORDER BY ts_utc", params.toArray());
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("since", from.toString());
            data.put("events", TableFormat.maps(r.columns(), r.rows()));
            long bad = r.rows().stream().filter(x -> "critical".equals(x.get(3)) || "error".equals(x.get(3))).count();
            ctx.out().println(JsonReport.render("watchdog-events", bad > 0 ? "yellow" : "green", r.rows().size() + " event(s), " + bad + " error/critical", data));
            return;
        }
        if (r.rows().isEmpty()) {
            ctx.out().println("no watchdog events since " + from);
            return;
        }
        ctx.out().print(TableFormat.text(r.columns(), r.rows()));
    }
}
