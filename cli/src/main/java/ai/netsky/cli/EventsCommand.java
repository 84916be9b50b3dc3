package ai.netsky.cli;

import ai.netsky.store.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky events}: one timeline across meta.db's event tables. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"The event timeline from meta.db, oldest first: sessions, envelopes, clone dispatches, watchdog events,",
                "crashes, restarts, escalations, directives, tool calls (ticks and CLI runs on request)."})
public final class EventsCommand implements Runnable {
    private final CliContext ctx;

    EventsCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--since", defaultValue = "24h", description = "How far back: 30m, 12h, 7d or an ISO timestamp (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--agent", description = "Only events about this agent.")
    String agent;

    @Option(names = "--type", split = ",", description = "Only these types: session, envelope, clone, watchdog, crash, restart, escalation, directive, tool, tick, cli.")
    List<String> types;

    @Option(names = "--ticks", description = "Include watchdog/ticker ticks (noisy).")
    boolean ticks;

    @Option(names = "--cli", description = "Include every netsky invocation (noisy).")
    boolean cli;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (the newest), default ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--json", description = "The JSON report envelope: data {since, events: [{ts, type, agent, summary}]}.")
    boolean json;

    static final Map<String, String> SOURCES = new LinkedHashMap<>();

    private static void source(String type, String agent, String summary, String table) {
        SOURCES.put(type, "SELECT ts_utc AS ts, '" + type + "' AS type, " + agent + " AS agent, " + summary + " AS summary FROM " + table);
    }

    static {
        source("session", "agent", "event || COALESCE(' ' || detail, '')", "sessions");
        source("envelope", "CASE kind WHEN 'sent' THEN from_agent ELSE to_agent END", "kind || ' ' || COALESCE(from_agent, '?') || '→' || COALESCE(to_agent, '?')"
                + " || COALESCE(' [' || envelope_kind || ']', '') || COALESCE(' via ' || delivery, '') || COALESCE(': ' || preview, '') || COALESCE(' (' || detail || ')', '')",
                "communication_events");
        source("clone", "agent", "COALESCE(outcome, '') || COALESCE(' ' || runtime, '') || CASE fresh WHEN 1 THEN ' --fresh' ELSE '' END", "clone_dispatches");
        source("watchdog", "agent", "name || ' ' || severity || COALESCE(' ' || status, '') || COALESCE(': ' || detail, '')", "watchdog_events");
        source("crash", "agent", "kind || COALESCE(': ' || detail, '')", "crashes");
        source("restart", "agent", "COALESCE(reason, '') || ' → ' || COALESCE(outcome, '?') || COALESCE(': ' || detail, '')", "restarts");
        source("escalation", "NULL", "CASE delivered WHEN 1 THEN 'sent' ELSE 'FAILED' END || COALESCE(' via ' || channel, '') || ': ' || subject", "escalations");
        source("directive", "agent", "source || ': ' || COALESCE(resolved_action, '') || ' ' || COALESCE(status, '')", "owner_directives");
        source("tool", "agent", "COALESCE(server, '') || '.' || tool || ' ' || COALESCE(status, '')", "mcp_tool_calls");
        source("tick", "NULL", "source || COALESCE(' ' || detail, '')", "ticks");
        source("cli", "NULL", "argv_json || ' → ' || exit_code || ' (' || duration_ms || ' ms)'", "cli_invocations");
    }

    @Override
    public void run() {
        Instant from = TimeWindow.since(since, Instant.now());
        List<String> want = new ArrayList<>();
        for (String t : SOURCES.keySet()) {
            boolean noisy = t.equals("tick") || t.equals("cli");
            if (types != null && !types.isEmpty()) {
                if (types.contains(t)) want.add(t);
            } else if (!noisy || (t.equals("tick") && ticks) || (t.equals("cli") && cli)) {
                want.add(t);
            }
        }
        if (types != null) {
            for (String t : types) {
                if (!SOURCES.containsKey(t)) throw new ai.netsky.core.NetskyException("unknown event type '" + t + "'; use one of " + String.join(", ", SOURCES.keySet()));
            }
        }
        String union = String.join(" UNION ALL ", want.stream().map(SOURCES::get).toList());
        String sql = "SELECT * FROM (SELECT * FROM (" + union + ") WHERE ts >= ?" + (agent == null ? "" : " AND agent = ?")
                + " ORDER BY ts DESC LIMIT " + Math.max(1, limit) + ") ORDER BY ts";
        Query.Result r = agent == null ? Reports.read(ctx, sql, TimeWindow.column(from)) : Reports.read(ctx, sql, TimeWindow.column(from), agent);
        List<List<Object>> rows = r.rows();
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("since", from.toString());
            data.put("events", TableFormat.maps(List.of("ts", "type", "agent", "summary"), rows));
            ctx.out().println(JsonReport.render("events", "green", rows.size() + " event(s)", data));
            return;
        }
        if (rows.isEmpty()) {
            ctx.out().println("no events since " + from);
            return;
        }
        for (List<Object> row : rows) {
            ctx.out().printf("%s  %-10s %-13s %s%n", row.get(0), row.get(1), row.get(2) == null ? "-" : row.get(2), TableFormat.cell(row.get(3)));
        }
    }
}
