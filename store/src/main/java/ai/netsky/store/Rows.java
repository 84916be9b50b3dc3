package ai.netsky.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** An event as one table row: the table name and its column values in insert order. */
record Rows(String table, Map<String, Object> columns) {
    /** Sortable UTC timestamp with milliseconds, the form every {@code ts_utc} column holds. */
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static String ts(Instant t) { return TS.format(t); }

    static Rows of(Event e) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ts_utc", ts(e.ts()));
        String table = switch (e) {
            case Event.Session s -> {
                c.put("agent", s.agent());
                c.put("session_num", s.sessionNum());
                c.put("event", s.kind().name().toLowerCase());
                c.put("detail", s.detail());
                yield "sessions";
            }
            case Event.CloneDispatch d -> {
                c.put("agent", d.agent());
                c.put("runtime", d.runtime());
                c.put("fresh", d.fresh() ? 1 : 0);
                c.put("outcome", d.outcome());
                c.put("detail", d.detail());
                yield "clone_dispatches";
            }
            case Event.EnvelopeEvent m -> {
                c.put("kind", m.kind().name().toLowerCase());
                c.put("envelope_id", m.envelopeId());
                c.put("from_agent", m.from());
                c.put("to_agent", m.to());
                c.put("envelope_kind", m.envelopeKind());
                c.put("delivery", m.delivery());
                c.put("preview", m.preview());
                c.put("detail", m.detail());
                yield "communication_events";
            }
            case Event.Tick t -> {
                c.put("source", t.source());
                c.put("detail", t.detailJson());
                yield "ticks";
            }
            case Event.WatchdogEvent w -> {
                c.put("name", w.name());
                c.put("agent", w.agent());
                c.put("severity", w.severity());
                c.put("status", w.status());
                c.put("detail", w.detail());
                yield "watchdog_events";
            }
            case Event.Crash k -> {
                c.put("kind", k.kind());
                c.put("agent", k.agent());
                c.put("detail", k.detail());
                yield "crashes";
            }
            case Event.Restart r -> {
                c.put("agent", r.agent());
                c.put("reason", r.reason());
                c.put("outcome", r.outcome());
                c.put("detail", r.detail());
                yield "restarts";
            }
            case Event.Escalation x -> {
                c.put("subject", x.subject());
                c.put("delivered", x.delivered() ? 1 : 0);
                c.put("channel", x.channel());
                c.put("detail", x.detail());
                yield "escalations";
            }
            case Event.ToolCall t -> {
                c.put("agent", t.agent());
                c.put("server", t.server());
                c.put("tool", t.tool());
                c.put("args_hash", t.argsHash());
                c.put("status", t.status());
                c.put("duration_ms", t.durationMs());
                c.put("detail", t.detail());
                yield "mcp_tool_calls";
            }
            case Event.CliInvocation i -> {
                c.put("bin", i.bin());
                c.put("argv_json", i.argvJson());
                c.put("exit_code", i.exitCode());
                c.put("duration_ms", i.durationMs());
                c.put("host", i.host());
                yield "cli_invocations";
            }
            case Event.Directive d -> {
                c.put("source", d.source());
                c.put("chat_id", d.chatId());
                c.put("raw_text", d.rawText());
                c.put("resolved_action", d.resolvedAction());
                c.put("agent", d.agent());
                c.put("status", d.status());
                c.put("detail", d.detail());
                yield "owner_directives";
            }
            case Event.TokenUsage u -> {
                c.put("day", u.ts().atOffset(ZoneOffset.UTC).toLocalDate().toString());
                c.put("agent", u.agent());
                c.put("session_id", u.sessionId());
                c.put("message_id", u.messageId());
                c.put("model", u.model());
                c.put("input_tokens", u.inputTokens());
                c.put("output_tokens", u.outputTokens());
                c.put("cache_creation_tokens", u.cacheCreationTokens());
                c.put("cache_read_tokens", u.cacheReadTokens());
                c.put("cost_usd", u.costUsd());
                c.put("source_file", u.sourceFile());
                yield "token_usage";
            }
        };
        return new Rows(table, c);
    }

    /** {@code INSERT [OR IGNORE] INTO table (cols…) VALUES (?…)}; token_usage ignores re-ingested turns. */
    String insertSql() {
        StringBuilder sb = new StringBuilder(table.equals("token_usage") ? "INSERT OR IGNORE INTO " : "INSERT INTO ");
        sb.append(table).append(" (").append(String.join(", ", columns.keySet())).append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) sb.append(i == 0 ? "?" : ", ?");
        return sb.append(")").toString();
    }
}
