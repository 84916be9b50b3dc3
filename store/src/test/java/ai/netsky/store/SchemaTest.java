package ai.netsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.NetskyPaths;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir Path home;

    @Test
    void aVersionOneDatabaseIsMigratedForwardKeepingItsRows() throws Exception {
        NetskyPaths paths = new NetskyPaths(home);
        try (Connection c = MetaDb.openWriter(paths, 1000); Statement s = c.createStatement()) {
            for (String sql : Schema.MIGRATIONS.getFirst().statements()) s.execute(sql);
            s.execute("INSERT INTO ticks (ts_utc, source, detail) VALUES ('2026-01-01T00:00:00.000Z', 'old', NULL)");
            s.execute("PRAGMA user_version = 1");
        }
        try (EventStore store = new EventStore(paths, 1000)) {
            assertTrue(store.record(new Event.Tick(Instant.now(), "new", null)).stored());
        }
        try (Connection c = MetaDb.openReadOnly(paths, 1000)) {
            assertEquals(List.of(List.<Object>of(Schema.latest())), Query.run(c, "PRAGMA user_version").rows());
            assertEquals(Schema.MIGRATIONS.stream().skip(1).map(m -> List.<Object>of(m.version())).toList(),
                    Query.run(c, "SELECT version FROM schema_migrations ORDER BY version").rows(),
                    "only the missing migrations ran");
            assertEquals(2, ((Number) Query.run(c, "SELECT COUNT(*) FROM ticks").rows().getFirst().getFirst()).intValue());
            assertTrue(MetaDb.tables(c).containsAll(Schema.EVENT_TABLES));
        }
    }

    @Test
    void everyEventKindLandsInItsTable() throws Exception {
        NetskyPaths paths = new NetskyPaths(home);
        Instant t = Instant.parse("2026-04-20T10:00:00Z");
        List<Event> all = List.of(
                new Event.Session(t, "agent0", 0, Event.SessionKind.UP, null),
                new Event.CloneDispatch(t, "agent1", "stub", false, "spawned", null),
                new Event.EnvelopeEvent(t, Event.EnvelopeKind.SENT, "id1", "agent0", "agent1", null, "file", "ping", null),
                new Event.Tick(t, "ticker", "{}"),
                new Event.WatchdogEvent(t, "hang", "agent1", "critical", "suspected", "pane stable 1811s"),
                new Event.Crash(t, "session-missing", "agent0", null),
                new Event.Restart(t, "agent0", "crash", "ready", null),
                new Event.Escalation(t, "agent0 hung", true, "command", null),
                new Event.ToolCall(t, "agent1", "agent", "reply", "abc", "ok", 12, null),
                new Event.CliInvocation(t, "netsky", "[\"status\"]", 0, 42, "host"),
                new Event.Directive(t, "morning", null, "netsky morning --send", "morning_brief", "agent0", "requested", "{}"),
                new Event.TokenUsage(t, "agent1", "s1", "m1", "claude-sonnet-4", 10, 20, 30, 40, 0.01, "f.jsonl"));
        try (EventStore store = new EventStore(paths, 1000)) {
            for (Event e : all) assertTrue(store.record(e).stored(), e.toString());
        }
        try (Connection c = MetaDb.openReadOnly(paths, 1000)) {
            for (Event e : all) {
                String table = Rows.of(e).table();
                assertEquals(1, ((Number) Query.run(c, "SELECT COUNT(*) FROM " + table + " WHERE ts_utc = '2026-04-20T10:00:00.000Z'").rows().getFirst().getFirst()).intValue(), table);
            }
            assertEquals(List.of(List.<Object>of("2026-04-20")), Query.run(c, "SELECT day FROM token_usage").rows());
        }
    }
}
