package ai.netsky.store;

import ai.netsky.core.NetskyPaths;
import java.sql.Connection;
import java.util.List;

/**
 * netsky's db_diag: turns meta.db errors into messages an operator can act on (spec cli.md §2.5):
 * a lock held by another process, a corrupt or foreign file, an unknown table.
 */
public final class DbDiag {
    private DbDiag() {}

    public static final String LOCK_HINT = "another netsky process holds meta.db. Run `netsky doctor` to see what's alive, or wait for it to release."
            + " Read paths (`netsky query`, `events`, `analytics`) use a snapshot and don't conflict — only writers (ingest, task, channel) lock.";

    public static boolean isLocked(String message) {
        String m = message.toLowerCase();
        return m.contains("database is locked") || m.contains("sqlite_busy") || m.contains("database table is locked");
    }

    public static boolean isCorrupt(String message) {
        String m = message.toLowerCase();
        return m.contains("file is not a database") || m.contains("sqlite_notadb") || m.contains("malformed") || m.contains("sqlite_corrupt");
    }

    /** The message for an error opening or reading meta.db, with the hint that applies. */
    public static String explain(NetskyPaths paths, Throwable e, Connection readable) {
        String m = EventStore.describe(e);
        if (isLocked(m)) return "meta.db is locked (" + m + "); " + LOCK_HINT;
        if (isCorrupt(m)) {
            return "meta.db looks corrupt or is not an SQLite database (" + m + "): " + paths.metaDb()
                    + "; move it aside and restore a copy from " + paths.backupsDir() + " (or delete it: netsky recreates an empty one)";
        }
        String lower = m.toLowerCase();
        int at = lower.indexOf("no such table:");
        if (at >= 0) {
            String table = m.substring(at + "no such table:".length()).strip().replaceAll("[)\\]].*$", "");
            List<String> tables = List.of();
            try {
                if (readable != null) tables = MetaDb.tables(readable);
            } catch (java.sql.SQLException ignored) {
                // Fall back to the schema's list.
            }
            if (tables.isEmpty()) tables = Schema.EVENT_TABLES;
            return "table '" + table + "' does not exist; tables: " + String.join(", ", tables.stream().filter(t -> !t.equals("spool_imported") && !t.equals("schema_migrations")).toList());
        }
        if (lower.contains("readonly") || lower.contains("read-only") || lower.contains("attempt to write")) {
            return "meta.db cannot be written (" + m + "): " + paths.metaDb() + "; check its permissions and the free space of its file system";
        }
        if (lower.contains("unable to open") || lower.contains("cantopen")) {
            return "cannot open meta.db (" + m + "): " + paths.metaDb() + "; check that ~/.netsky exists and is readable";
        }
        return "meta.db error: " + m;
    }
}
