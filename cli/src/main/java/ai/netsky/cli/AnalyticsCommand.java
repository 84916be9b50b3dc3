package ai.netsky.cli;

import ai.netsky.store.Query;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky analytics}: per-day activity and tokens/cost per agent and day. */
@Command(name = "analytics", mixinStandardHelpOptions = true,
        description = {"Per UTC day: netsky runs (count, failures, mean and max ms), envelopes sent / delivered / quarantined,",
                "crashes, restarts, escalations; and tokens and cost per agent and day (after `netsky ingest claude-sessions`)."})
public final class AnalyticsCommand implements Runnable {
    private final CliContext ctx;

    AnalyticsCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--days", defaultValue = "7", description = "How many days back, today included (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--json", description = "The JSON report envelope: data {activity: [...], tokens: [...]}.")
    boolean json;

    static final String ACTIVITY = """
            WITH d(day, cli, cli_failed, cli_mean_ms, cli_max_ms, sent, delivered, quarantined, crashes, restarts, escalations) AS (
              SELECT substr(ts_utc, 1, 10), COUNT(*), SUM(exit_code <> 0), CAST(AVG(duration_ms) AS INTEGER), MAX(duration_ms), 0, 0, 0, 0, 0, 0 FROM cli_invocations WHERE ts_utc >= ?1 GROUP BY 1
              UNION ALL SELECT substr(ts_utc, 1, 10), 0, 0, NULL, NULL, SUM(kind = 'sent'), SUM(kind = 'delivered'), SUM(kind = 'quarantined'), 0, 0, 0 FROM communication_events WHERE ts_utc >= ?1 GROUP BY 1
              UNION ALL SELECT substr(ts_utc, 1, 10), 0, 0, NULL, NULL, 0, 0, 0, COUNT(*), 0, 0 FROM crashes WHERE ts_utc >= ?1 GROUP BY 1
              UNION ALL SELECT substr(ts_utc, 1, 10), 0, 0, NULL, NULL, 0, 0, 0, 0, COUNT(*), 0 FROM restarts WHERE ts_utc >= ?1 GROUP BY 1
              UNION ALL SELECT substr(ts_utc, 1, 10), 0, 0, NULL, NULL, 0, 0, 0, 0, 0, COUNT(*) FROM escalations WHERE ts_utc >= ?1 GROUP BY 1)
            SELECT day, SUM(cli) AS cli_runs, SUM(cli_failed) AS cli_failed, MAX(cli_mean_ms) AS cli_mean_ms, MAX(cli_max_ms) AS cli_max_ms,
                   SUM(sent) AS sent, SUM(delivered) AS delivered, SUM(quarantined) AS quarantined,
                   SUM(crashes) AS crashes, SUM(restarts) AS restarts, SUM(escalations) AS escalations
            FROM d GROUP BY day ORDER BY day""";

    static final String TOKENS = """
            SELECT day, agent, COUNT(*) AS turns, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
                   SUM(cache_creation_tokens) AS cache_write, SUM(cache_read_tokens) AS cache_read, ROUND(SUM(cost_usd), 4) AS cost_usd
            FROM token_usage WHERE day >= substr(?1, 1, 10) GROUP BY day, agent ORDER BY day, agent""";

    @Override
    public void run() {
        Instant from = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(java.time.Duration.ofDays(Math.max(1, days) - 1L));
        String since = TimeWindow.column(from);
        Query.Result activity = Reports.read(ctx, ACTIVITY, since);
        Query.Result tokens = Reports.read(ctx, TOKENS, since);
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("since", from.toString());
            data.put("activity", TableFormat.maps(activity.columns(), activity.rows()));
            data.put("tokens", TableFormat.maps(tokens.columns(), tokens.rows()));
            double cost = tokens.rows().stream().mapToDouble(r -> ((Number) r.get(7)).doubleValue()).sum();
            ctx.out().println(JsonReport.render("analytics", "green", activity.rows().size() + " day(s) of activity, $" + String.format(java.util.Locale.ROOT, "%.2f", cost) + " in tokens", data));
            return;
        }
        ctx.out().println("activity per day (UTC) since " + from.toString().substring(0, 10));
        ctx.out().print(activity.rows().isEmpty() ? "(nothing recorded)\n" : TableFormat.text(activity.columns(), activity.rows()));
        ctx.out().println("tokens and cost per agent and day");
        ctx.out().print(tokens.rows().isEmpty() ? "(none: run `netsky ingest claude-sessions`)\n" : TableFormat.text(tokens.columns(), tokens.rows()));
    }
}
