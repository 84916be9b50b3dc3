package ai.netsky.cli;

import ai.netsky.store.Query;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code netsky query "<SQL>" [--json|--csv]}: read-only SQL over meta.db. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run one read-only SQL statement over meta.db (SQLite dialect) and print the rows.",
                "Writes are refused. Tables: cli_invocations, sessions, clone_dispatches, communication_events, ticks,",
                "watchdog_events, crashes, restarts, escalations, mcp_tool_calls, owner_directives, token_usage, …",
                "Example: netsky query \"SELECT agent, SUM(cost_usd) FROM token_usage GROUP BY agent\""})
public final class QueryCommand implements Runnable {
    private final CliContext ctx;

    QueryCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<SQL>", description = "One SELECT / WITH / VALUES / EXPLAIN statement, or a reading PRAGMA.")
    String sql;

    @Option(names = "--json", description = "Print the JSON report envelope: data {sql, row_count, rows}.")
    boolean json;

    @Option(names = "--csv", description = "Print RFC 4180 CSV with a header row.")
    boolean csv;

    @Override
    public void run() {
        if (json && csv) throw new ai.netsky.core.NetskyException("--json and --csv exclude each other; pick one");
        Query.Result r = Query.run(ctx.paths(), ctx.env(), sql);
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("sql", sql);
            data.put("row_count", r.rows().size());
            data.put("rows", TableFormat.maps(r.columns(), r.rows()));
            ctx.out().println(JsonReport.render("query", "green", r.rows().size() + " row(s)", data));
        } else if (csv) {
            ctx.out().print(TableFormat.csv(r.columns(), r.rows()));
        } else {
            ctx.out().print(TableFormat.text(r.columns(), r.rows()));
            ctx.out().println(r.rows().size() + " row(s)");
        }
    }
}
