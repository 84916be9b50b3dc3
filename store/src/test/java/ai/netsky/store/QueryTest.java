package ai.netsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryTest {
    @TempDir Path home;

    NetskyPaths paths() { return new NetskyPaths(home); }

    @Test
    void writesAreRefusedBeforeAndByTheEngine() {
        try (EventStore s = new EventStore(paths(), 1000)) {
            s.record(new Event.Tick(Instant.now(), "t", null));
        }
        for (String sql : List.of("INSERT INTO ticks (ts_utc, source) VALUES ('x','y')", "delete from ticks", "DROP TABLE ticks",
                "PRAGMA user_version = 9", "pragma writable_schema=1", "SELECT 1; DELETE FROM ticks", "ATTACH DATABASE '/tmp/x' AS x",
                "  /* sneaky */ UPDATE ticks SET source = 'z'", "VACUUM")) {
            var e = assertThrows(NetskyException.class, () -> Query.run(paths(), Map.of(), sql), sql);
            assertTrue(e.getMessage().contains("read-only") || e.getMessage().contains("one statement"), e.getMessage());
        }
        // Passes the keyword fence; the read-only connection refuses it.
        var e = assertThrows(NetskyException.class, () -> Query.run(paths(), Map.of(), "WITH x AS (SELECT 1) DELETE FROM ticks"));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertEquals(List.of(List.<Object>of(1)), Query.run(paths(), Map.of(), "SELECT COUNT(*) FROM ticks;").rows(), "nothing was deleted");
        assertEquals(List.of(List.<Object>of("a;b")), Query.run(paths(), Map.of(), "SELECT 'a;b' -- a comment; DROP").rows());
    }

    @Test
    void unknownTableListsTheTablesAndACorruptFilePointsAtBackups() throws Exception {
        var e = assertThrows(NetskyException.class, () -> Query.run(paths(), Map.of(), "SELECT * FROM nope"));
        assertTrue(e.getMessage().contains("table 'nope' does not exist; tables: ") && e.getMessage().contains("cli_invocations"), e.getMessage());
        Files.write(paths().metaDb(), "this is not sqlite at all, just text long enough to be a header....................................".getBytes());
        Files.deleteIfExists(paths().metaDb().resolveSibling("meta.db-wal"));
        Files.deleteIfExists(paths().metaDb().resolveSibling("meta.db-shm"));
        var c = assertThrows(NetskyException.class, () -> Query.run(paths(), Map.of(), "SELECT 1 FROM ticks"));
        assertTrue(c.getMessage().contains("corrupt") && c.getMessage().contains("backups"), c.getMessage());
    }

    @Test
    void aLockGetsTheOperatorHint() {
        String m = DbDiag.explain(paths(), new java.sql.SQLException("[SQLITE_BUSY] The database file is locked (database is locked)"), null);
        assertTrue(m.startsWith("meta.db is locked (") && m.contains("another netsky process holds meta.db. Run `netsky doctor` to see what's alive"), m);
    }
}
