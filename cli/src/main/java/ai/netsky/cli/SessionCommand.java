package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.HookStatus;
import ai.netsky.core.NetskyException;
import ai.netsky.store.Event;
import ai.netsky.store.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky session list|show|note}: the session records in meta.db's {@code sessions} table —
 * {@code up} and {@code down} (written by the lifecycle commands) and {@code note} (written here).
 * {@code session_num} is the agent's number: 0 for agent0, N for agentN, -1 for agentinfinity.
 */
@Command(name = "session", mixinStandardHelpOptions = true,
        description = {"Agent session records in meta.db: when each agent came up and went down, and notes about a session."},
        subcommands = {SessionCommand.ListSessions.class, SessionCommand.Show.class, SessionCommand.Note.class})
public final class SessionCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static int sessionNum(AgentId a) {
        if (a.equals(AgentId.AGENTINFINITY)) return -1;
        String n = a.name().substring("agent".length());
        return n.chars().allMatch(Character::isDigit) && !n.isEmpty() ? Integer.parseInt(n) : -1;
    }

    static AgentId agent(CliContext ctx, String a) {
        if (a == null) return ctx.self();
        if (a.matches("\\d+")) return AgentId.fromNumber(Integer.parseInt(a));
        if (a.equals("infinity") || a.equals("inf")) return AgentId.AGENTINFINITY;
        if (!AgentId.isValid(a)) throw new NetskyException("invalid agent '" + a + "': use an id like agent0, agent3 or agentinfinity (or a number)");
        return AgentId.of(a);
    }

    static final List<String> COLUMNS = List.of("ts", "agent", "session_num", "event", "detail");

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Session events, newest last (up, down, note).")
    static final class ListSessions implements Runnable {
        private final CliContext ctx;

        ListSessions(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--agent", paramLabel = "<id>", description = "Only this agent.") String agent;

        @Option(names = "--since", defaultValue = "7d", description = "How far back: 30m, 12h, 7d or an ISO timestamp (default ${DEFAULT-VALUE}).") String since;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (the newest), default ${DEFAULT-VALUE}.") int limit;

        @Option(names = "--json", description = "Print the JSON report.") boolean json;

        public void run() {
            Instant from = TimeWindow.since(since, Instant.now());
            String who = agent == null ? null : agent(ctx, agent).name();
            String sql = "SELECT * FROM (SELECT ts_utc AS ts, agent, session_num, event, detail FROM sessions WHERE ts_utc >= ?"
                    + (who == null ? "" : " AND agent = ?") + " ORDER BY ts_utc DESC, id DESC LIMIT " + Math.max(1, limit) + ") ORDER BY ts";
            Query.Result r = who == null ? Reports.read(ctx, sql, TimeWindow.column(from)) : Reports.read(ctx, sql, TimeWindow.column(from), who);
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("since", from.toString());
                data.put("sessions", TableFormat.maps(COLUMNS, r.rows()));
                ctx.out().println(JsonReport.render("session", "green", r.rows().size() + " session event(s)", data));
                return;
            }
            if (r.rows().isEmpty()) {
                ctx.out().println("no session events since " + from);
                return;
            }
            for (var row : r.rows()) {
                ctx.out().printf("%s  %-13s %-5s %s%n", row.get(0), row.get(1), row.get(3), row.get(4) == null ? "" : TableFormat.cell(row.get(4)));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One agent's current session: tmux state, last up/down, notes since it came up, last hook status.")
    static final class Show implements Runnable {
        private final CliContext ctx;

        Show(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", arity = "0..1", paramLabel = "<agent>", description = "Agent id or number (default: the caller, else agent0).") String agent;

        @Option(names = "--json", description = "Print the JSON report.") boolean json;

        public void run() {
            AgentId a = agent(ctx, agent);
            boolean live;
            try {
                live = ctx.tmux().hasSession(a.name());
            } catch (RuntimeException noTmux) {
                live = false;
            }
            var events = Reports.read(ctx, "SELECT ts_utc AS ts, agent, session_num, event, detail FROM sessions WHERE agent = ? ORDER BY ts_utc, id", a.name()).rows();
            Object lastUp = null, lastDown = null;
            List<List<Object>> notes = new ArrayList<>();
            for (var row : events) {
                switch (String.valueOf(row.get(3))) {
                    case "up" -> { lastUp = row.get(0); notes.clear(); }
                    case "down" -> lastDown = row.get(0);
                    case "note" -> notes.add(row);
                    default -> { }
                }
            }
            var hook = HookStatus.read(ctx.paths(), a).orElse(null);
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("agent", a.name());
                data.put("tmux_session", live);
                data.put("last_up", lastUp);
                data.put("last_down", lastDown);
                data.put("notes", TableFormat.maps(COLUMNS, notes));
                data.put("hook_status", hook == null ? null : hook.toJson());
                ctx.out().println(JsonReport.render("session", "green", a + (live ? " up" : " not running"), data));
                return;
            }
            ctx.out().println(a + ": tmux session " + (live ? "up" : "not running"));
            ctx.out().println("  last up:   " + (lastUp == null ? "-" : lastUp));
            ctx.out().println("  last down: " + (lastDown == null ? "-" : lastDown));
            if (hook != null) ctx.out().println("  hooks:     " + hook.state() + " after " + hook.event() + " at " + hook.ts());
            for (var n : notes) ctx.out().println("  note " + n.get(0) + ": " + n.get(4));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Record a note about an agent's current session.")
    static final class Note implements Callable<Integer> {
        private final CliContext ctx;

        Note(CliContext ctx) { this.ctx = ctx; }

        @Parameters(arity = "1..*", paramLabel = "<text>") List<String> text;

        @Option(names = "--agent", paramLabel = "<id>", description = "Whose session (default: the caller, from AGENT_N; else agent0).") String agent;

        public Integer call() {
            String t = String.join(" ", text).strip();
            if (t.isEmpty()) throw new NetskyException("the note must not be empty");
            if (t.length() > 4000) throw new NetskyException("the note is " + t.length() + " characters; keep it under 4000");
            AgentId a = agent(ctx, agent);
            if (Observability.off(ctx.env())) {
                throw new NetskyException("meta.db recording is off (" + Observability.ENV_OFF + "=1), so the note would be lost; unset it and run again");
            }
            boolean kept = ctx.observability().record(new Event.Session(Instant.now(), a.name(), sessionNum(a), Event.SessionKind.NOTE, t));
            if (!kept) return 1; // Observability printed why
            Ui.line(ctx.out(), "session", "noted for " + a + ": " + t);
            return 0;
        }
    }
}
