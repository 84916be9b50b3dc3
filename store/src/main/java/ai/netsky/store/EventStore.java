package ai.netsky.store;

import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write side of meta.db. {@link #record} never throws and never blocks a command for longer than
 * the busy timeout: a row that cannot be written is appended to the spool ({@link Spool}) and the
 * caller carries on. The first successful open of a process migrates the schema and imports any
 * spooled rows. One instance holds at most one connection; close it when done (a CLI run records a
 * handful of rows and exits).
 */
public final class EventStore implements AutoCloseable {
    /** What happened to one event. {@code failure} is non-null only when it was lost (DB and spool both failed). */
    public record Result(boolean stored, boolean spooled, String error, String failure) {
        static final Result STORED = new Result(true, false, null, null);
    }

    private final NetskyPaths paths;
    private final int busyMs;
    private final Spool spool;
    private final Spool journal;
    private Connection conn;
    /**
     * After a failed open/write, events of this instance go straight to the spool for
     * {@link #RETRY_AFTER_NANOS}: a short command never waits out the busy timeout twice, and a
     * long-lived one (ticker, MCP server) comes back to meta.db once it recovers.
     */
    private String broken;
    private long brokenAt;
    static final long RETRY_AFTER_NANOS = 30_000_000_000L;
    private final Map<String, PreparedStatement> inserts = new HashMap<>();
    private int imported;

    public EventStore(NetskyPaths paths, Map<String, String> env) {
        this(paths, MetaDb.busyMs(env));
    }

    public EventStore(NetskyPaths paths, int busyMs) {
        this.paths = paths;
        this.busyMs = busyMs;
        this.spool = new Spool(paths);
        this.journal = Spool.journal(paths);
    }

    public Spool spool() { return spool; }

    /** True while this instance holds an open connection. */
    public boolean isOpen() { return conn != null; }

    /** Spooled rows imported by this instance's open. */
    public int importedFromSpool() { return imported; }

    /**
     * Opens (and migrates) now, so a later {@link #record} only inserts; returns false — and sends
     * later events of this instance straight to the spool — when meta.db cannot be opened.
     */
    public boolean warm() {
        if (stillBroken()) return false;
        try {
            connection();
            return true;
        } catch (SQLException | RuntimeException e) {
            markBroken(e);
            return false;
        }
    }

    private boolean stillBroken() {
        if (broken == null) return false;
        if (System.nanoTime() - brokenAt < RETRY_AFTER_NANOS) return true;
        broken = null;
        return false;
    }

    private void markBroken(Throwable e) {
        broken = describe(e);
        brokenAt = System.nanoTime();
        closeQuietly();
    }

    public Result record(Event event) {
        Rows rows;
        try {
            rows = Rows.of(event);
        } catch (RuntimeException bug) {
            return new Result(false, false, null, "cannot map " + event.getClass().getSimpleName() + ": " + bug);
        }
        if (!stillBroken()) {
            try {
                insert(connection(), rows);
                return Result.STORED;
            } catch (SQLException | RuntimeException e) {
                markBroken(e);
            }
        }
        try {
            spool.append(rows, broken);
            return new Result(false, true, broken, null);
        } catch (IOException | RuntimeException e) {
            return new Result(false, false, broken, "meta.db: " + broken + "; spool: " + e.getMessage());
        }
    }

    /** Writes many rows in one transaction (ingest); throws so the caller can report it. */
    public void recordBatch(List<? extends Event> events) throws SQLException {
        Connection c = connection();
        c.setAutoCommit(false);
        try {
            for (Event e : events) insert(c, Rows.of(e));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The open, migrated writer connection (for commands that need more than inserts). */
    public Connection connection() throws SQLException {
        if (conn == null) {
            Connection c = MetaDb.openWriter(paths, busyMs);
            try {
                MetaDb.migrate(c);
                conn = c;
                importSpool();
            } catch (SQLException | RuntimeException e) {
                conn = null;
                inserts.clear();
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // Reporting the open failure matters more.
                }
                throw e;
            }
        }
        return conn;
    }

    private void insert(Connection c, Rows rows) throws SQLException {
        String sql = rows.insertSql();
        PreparedStatement ps = inserts.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            inserts.put(sql, ps);
        }
        int i = 1;
        for (Object v : rows.columns().values()) ps.setObject(i++, v);
        ps.executeUpdate();
    }

    /** True when spooled or journaled rows wait for import (a reader opens a writer once to take them in). */
    public static boolean importPending(NetskyPaths paths) {
        return !Spool.journal(paths).pending().isEmpty() || !new Spool(paths).pending().isEmpty();
    }

    /**
     * Imports journal and spool files claimed by this process in one transaction; each spooled row is inserted
     * at most once (the {@code spool_imported} ledger), so a crash between commit and delete only
     * leaves a file whose rows are skipped next time. A line that cannot be imported becomes a
     * {@code source_errors} row rather than blocking the rest.
     */
    private void importSpool() {
        List<Path> claims = new java.util.ArrayList<>();
        try {
            claims.addAll(journal.claim());
            claims.addAll(spool.claim());
        } catch (IOException | RuntimeException e) {
            if (claims.isEmpty()) return;
        }
        if (claims.isEmpty()) return;
        int n = 0;
        try {
            conn.setAutoCommit(false);
            Map<String, Set<String>> columns = new HashMap<>();
            try (PreparedStatement ledger = conn.prepareStatement("INSERT OR IGNORE INTO spool_imported (spool_id, imported_at) VALUES (?, ?)")) {
                for (Path claim : claims) {
                    for (String line : Spool.lines(claim)) {
                        if (line.isBlank()) continue;
                        try {
                            Spool.Entry e = Spool.parse(line);
                            Set<String> known = columns.computeIfAbsent(e.table(), this::columnsOf);
                            if (known.isEmpty() || !known.containsAll(e.row().keySet())) {
                                throw new IllegalArgumentException("unknown table or column in " + e.table() + " " + e.row().keySet());
                            }
                            ledger.setString(1, e.spoolId());
                            ledger.setString(2, Rows.ts(Instant.now()));
                            if (ledger.executeUpdate() == 0) continue; // already imported before a crash
                            insert(conn, new Rows(e.table(), e.row()));
                            n++;
                        } catch (RuntimeException bad) {
                            insert(conn, new Rows("source_errors", Map.of("ts_utc", Rows.ts(Instant.now()), "source", "meta-db-spool",
                                    "error", String.valueOf(bad.getMessage()), "detail", line)));
                        }
                    }
                }
            }
            conn.commit();
            imported += n;
            for (Path claim : claims) Files.deleteIfExists(claim);
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                // The claim files stay; a later open (or this pid's death) hands them to the next importer.
            }
        } finally {
            try {
                conn.setAutoCommit(true);
            } catch (SQLException ignored) {
                // Connection unusable: the next insert fails and spools.
            }
        }
    }

    private Set<String> columnsOf(String table) {
        Set<String> out = new HashSet<>();
        if (!table.matches("[a-z_]{1,64}")) return out;
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) out.add(rs.getString("name"));
        } catch (SQLException e) {
            return Set.of();
        }
        out.remove("id");
        return out;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }

    private void closeQuietly() {
        for (PreparedStatement ps : inserts.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // Closing the connection releases it anyway.
            }
        }
        inserts.clear();
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // Nothing left to release.
            }
            conn = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
