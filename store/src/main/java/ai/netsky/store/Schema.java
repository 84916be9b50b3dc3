package ai.netsky.store;

import java.util.List;

/**
 * The meta.db schema as an ordered list of migrations. {@code PRAGMA user_version} holds the number
 * of the last one applied; {@code schema_migrations} keeps when each ran. A migration is only ever
 * appended, never edited: an old database catches up by running the ones after its version. Columns
 * are documented in {@code store/README.md}.
 */
public final class Schema {
    private Schema() {}

    public record Migration(int version, String description, List<String> statements) {}

    private static final String ID = "id INTEGER PRIMARY KEY AUTOINCREMENT, ts_utc TEXT NOT NULL";

    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "event tables (netsky-db v6 names plus restarts and escalations)", List.of(
                    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)",
                    "CREATE TABLE cli_invocations (" + ID + ", bin TEXT NOT NULL, argv_json TEXT NOT NULL, exit_code INTEGER NOT NULL, duration_ms INTEGER NOT NULL, host TEXT)",
                    "CREATE TABLE sessions (" + ID + ", agent TEXT NOT NULL, session_num INTEGER, event TEXT NOT NULL, detail TEXT)",
                    "CREATE TABLE clone_dispatches (" + ID + ", agent TEXT NOT NULL, runtime TEXT, fresh INTEGER NOT NULL DEFAULT 0, outcome TEXT, detail TEXT)",
                    "CREATE TABLE communication_events (" + ID + ", kind TEXT NOT NULL, envelope_id TEXT, from_agent TEXT, to_agent TEXT, envelope_kind TEXT, delivery TEXT, preview TEXT, detail TEXT)",
                    "CREATE TABLE ticks (" + ID + ", source TEXT NOT NULL, detail TEXT)",
                    "CREATE TABLE watchdog_events (" + ID + ", name TEXT NOT NULL, agent TEXT, severity TEXT NOT NULL, status TEXT, detail TEXT)",
                    "CREATE TABLE crashes (" + ID + ", kind TEXT NOT NULL, agent TEXT, detail TEXT)",
                    "CREATE TABLE restarts (" + ID + ", agent TEXT NOT NULL, reason TEXT, outcome TEXT, detail TEXT)",
                    "CREATE TABLE escalations (" + ID + ", subject TEXT NOT NULL, delivered INTEGER NOT NULL, channel TEXT, detail TEXT)",
                    "CREATE TABLE mcp_tool_calls (" + ID + ", agent TEXT, server TEXT, tool TEXT NOT NULL, args_hash TEXT, status TEXT, duration_ms INTEGER, detail TEXT)",
                    "CREATE TABLE owner_directives (" + ID + ", source TEXT NOT NULL, chat_id TEXT, raw_text TEXT, resolved_action TEXT, agent TEXT, status TEXT, detail TEXT)",
                    "CREATE TABLE token_usage (" + ID + ", day TEXT NOT NULL, agent TEXT NOT NULL, session_id TEXT NOT NULL, message_id TEXT NOT NULL, model TEXT,"
                            + " input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cache_creation_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,"
                            + " cost_usd REAL NOT NULL, source_file TEXT, UNIQUE (session_id, message_id))",
                    // Reserved by netsky-db v6; nothing in the JVM port writes them yet, so `query` finds the same tables.
                    "CREATE TABLE messages (" + ID + ", source TEXT NOT NULL, direction TEXT, chat_id TEXT, sender TEXT, text TEXT, detail TEXT)",
                    "CREATE TABLE workspaces (" + ID + ", name TEXT NOT NULL, agent TEXT, path TEXT, event TEXT, detail TEXT)",
                    "CREATE TABLE harvest_events (" + ID + ", agent TEXT, kind TEXT, detail TEXT)",
                    "CREATE TABLE git_operations (" + ID + ", agent TEXT, repo TEXT, op TEXT, ref TEXT, detail TEXT)",
                    "CREATE TABLE source_errors (" + ID + ", source TEXT NOT NULL, error TEXT, detail TEXT)")),
            new Migration(2, "indexes for the report commands (time windows, per-agent lookups)", List.of(
                    "CREATE INDEX cli_invocations_ts ON cli_invocations (ts_utc)",
                    "CREATE INDEX sessions_agent_ts ON sessions (agent, ts_utc)",
                    "CREATE INDEX communication_events_ts ON communication_events (ts_utc)",
                    "CREATE INDEX communication_events_to ON communication_events (to_agent, ts_utc)",
                    "CREATE INDEX communication_events_from ON communication_events (from_agent, ts_utc)",
                    "CREATE INDEX ticks_ts ON ticks (ts_utc)",
                    "CREATE INDEX watchdog_events_ts ON watchdog_events (ts_utc)",
                    "CREATE INDEX crashes_ts ON crashes (ts_utc)",
                    "CREATE INDEX restarts_agent ON restarts (agent, ts_utc)",
                    "CREATE INDEX token_usage_day ON token_usage (day, agent)")),
            new Migration(3, "spool import ledger: a spooled event is imported at most once", List.of(
                    "CREATE TABLE spool_imported (spool_id TEXT PRIMARY KEY, imported_at TEXT NOT NULL)")),
            new Migration(4, "task_events: `netsky task` work tracking, append-only (a task's state is the fold of its events)", List.of(
                    "CREATE TABLE task_events (" + ID + ", task_id INTEGER NOT NULL, action TEXT NOT NULL, actor TEXT, agent TEXT, title TEXT, detail TEXT)",
                    "CREATE UNIQUE INDEX task_events_one_add ON task_events (task_id) WHERE action = 'add'",
                    "CREATE INDEX task_events_task ON task_events (task_id, id)")));

    public static int latest() {
        return MIGRATIONS.getLast().version();
    }

    /** The tables a user may query (everything but the bookkeeping). */
    public static final List<String> EVENT_TABLES = List.of("cli_invocations", "sessions", "clone_dispatches", "communication_events",
            "ticks", "watchdog_events", "crashes", "restarts", "escalations", "mcp_tool_calls", "owner_directives", "token_usage",
            "messages", "workspaces", "harvest_events", "git_operations", "source_errors", "task_events");
}
