package ai.netsky.store;

import ai.netsky.core.NetskyPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Opening meta.db: writers get WAL, {@code synchronous=NORMAL} and a busy timeout (10 s, or
 * {@code NETSKY_META_DB_BUSY_MS}); readers a read-only, {@code query_only} connection. Connections
 * are made through {@link SQLiteConfig#createConnection} directly — no DriverManager service scan on
 * the start-up path.
 */
public final class MetaDb {
    private MetaDb() {}

    public static final int DEFAULT_BUSY_MS = 10_000;
    public static final String ENV_BUSY_MS = "NETSKY_META_DB_BUSY_MS";

    public static int busyMs(Map<String, String> env) {
        String v = env == null ? null : env.get(ENV_BUSY_MS);
        if (v == null || v.isBlank()) return DEFAULT_BUSY_MS;
        try {
            return Math.max(0, Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_BUSY_MS;
        }
    }

    /** A writer connection; creates the file (and ~/.netsky) when missing. Does not migrate. */
    public static Connection openWriter(NetskyPaths paths, int busyMs) throws SQLException {
        paths.ensureDir(paths.netskyHome());
        NativeLib.prepare(paths);
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(busyMs);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // IMMEDIATE: a write transaction takes the write lock up front, so it waits in the busy
        // handler instead of failing on a read-to-write upgrade.
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return cfg.createConnection("jdbc:sqlite:" + paths.metaDb());
    }

    /** A read-only connection: the file must exist; nothing can be written through it. */
    public static Connection openReadOnly(NetskyPaths paths, int busyMs) throws SQLException {
        NativeLib.prepare(paths);
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(busyMs);
        cfg.setReadOnly(true);
        cfg.setOpenMode(SQLiteOpenMode.READONLY);
        Connection c = cfg.createConnection("jdbc:sqlite:" + paths.metaDb());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        }
        return c;
    }

    public static boolean exists(NetskyPaths paths) {
        return Files.isRegularFile(paths.metaDb());
    }

    static int userVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Brings the schema to {@link Schema#latest()}. The version check is one pragma read, so an
     * up-to-date database costs nothing more; a stale one is migrated inside one IMMEDIATE
     * transaction, re-checked after the lock is held, so racing processes apply each step once.
     * Returns the migrations applied by this call.
     */
    public static List<Integer> migrate(Connection c) throws SQLException {
        if (userVersion(c) >= Schema.latest()) return List.of();
        boolean auto = c.getAutoCommit();
        try (Statement s = c.createStatement()) {
            // journal_mode is persistent in the file and cannot change inside a transaction.
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
                rs.next();
            }
            c.setAutoCommit(false);
            List<Integer> applied = new ArrayList<>();
            int current = userVersion(c);
            for (Schema.Migration m : Schema.MIGRATIONS) {
                if (m.version() <= current) continue;
                for (String sql : m.statements()) s.execute(sql);
                s.execute("INSERT INTO schema_migrations (version, applied_at, description) VALUES ("
                        + m.version() + ", '" + Rows.ts(Instant.now()) + "', '" + m.description().replace("'", "''") + "')");
                s.execute("PRAGMA user_version = " + m.version());
                applied.add(m.version());
            }
            c.commit();
            return applied;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // The original error is the one worth reporting.
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Tables (and views) in the database, sorted: for the unknown-table hint and the README. */
    public static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static Path dbFile(NetskyPaths paths) {
        return paths.metaDb();
    }
}
