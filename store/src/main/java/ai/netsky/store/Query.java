package ai.netsky.store;

import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Read-only SQL over meta.db ({@code netsky query}, and the report commands). Three fences: the text
 * must be one statement starting with a reading keyword; the connection is opened read-only; and
 * {@code PRAGMA query_only} is on. The first gives the clear message, the other two make it true.
 */
public final class Query {
    private Query() {}

    public record Result(List<String> columns, List<List<Object>> rows) {}

    private static final Set<String> READING = Set.of("SELECT", "WITH", "VALUES", "EXPLAIN");
    /** Pragmas that only read; anything else (assignments, table-changing pragmas) is refused. */
    private static final Set<String> READ_PRAGMAS = Set.of("TABLE_INFO", "TABLE_XINFO", "TABLE_LIST", "INDEX_LIST", "INDEX_INFO",
            "USER_VERSION", "JOURNAL_MODE", "PAGE_COUNT", "PAGE_SIZE", "FOREIGN_KEY_LIST", "COMPILE_OPTIONS", "DATABASE_LIST");

    /** Throws a NetskyException naming why the statement is refused; returns the statement without a trailing ';'. */
    public static String checkReadOnly(String sql) {
        if (sql == null || sql.isBlank()) throw new NetskyException("query needs SQL: netsky query \"SELECT …\"");
        String s = stripComments(sql).strip();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).strip();
        if (containsUnquotedSemicolon(s)) {
            throw new NetskyException("netsky query runs one statement; split '" + abbreviate(sql) + "' into separate queries");
        }
        String first = s.split("[\\s(]+", 2)[0].toUpperCase(Locale.ROOT);
        if (first.equals("PRAGMA")) {
            String rest = s.substring(6).strip().toUpperCase(Locale.ROOT);
            String name = rest.split("[\\s(=]+", 2)[0];
            if (!READ_PRAGMAS.contains(name) || rest.contains("=")) {
                throw new NetskyException("netsky query is read-only: PRAGMA " + name.toLowerCase(Locale.ROOT) + " is refused; read pragmas such as table_info(<table>) are allowed");
            }
            return s;
        }
        if (!READING.contains(first)) {
            throw new NetskyException("netsky query is read-only: " + first + " statements are refused; use SELECT (netsky itself writes meta.db)");
        }
        return s;
    }

    /** Runs a checked statement on a fresh read-only connection. */
    public static Result run(NetskyPaths paths, Map<String, String> env, String sql) {
        String stmt = checkReadOnly(sql);
        ensureExists(paths, env);
        try (Connection c = MetaDb.openReadOnly(paths, MetaDb.busyMs(env))) {
            try {
                return run(c, stmt);
            } catch (SQLException e) {
                String m = EventStore.describe(e).toLowerCase(Locale.ROOT);
                if (m.contains("readonly") || m.contains("attempt to write")) {
                    throw new NetskyException("netsky query is read-only: the statement tried to write (" + EventStore.describe(e) + "); use SELECT");
                }
                throw new NetskyException(DbDiag.explain(paths, e, c), e);
            }
        } catch (SQLException e) {
            throw new NetskyException(DbDiag.explain(paths, e, null), e);
        }
    }

    public static Result run(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            boolean hasRows = ps.execute();
            List<String> cols = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            if (!hasRows) return new Result(cols, rows);
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) cols.add(md.getColumnLabel(i));
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(cols.size());
                    for (int i = 1; i <= cols.size(); i++) row.add(rs.getObject(i));
                    rows.add(row);
                }
            }
            return new Result(cols, rows);
        }
    }

    /**
     * A reader on a machine where nothing has been recorded yet still finds the (empty) tables, and
     * rows waiting in the journal or spool are imported first so the reader sees them.
     */
    public static void ensureExists(NetskyPaths paths, Map<String, String> env) {
        if (MetaDb.exists(paths) && !EventStore.importPending(paths)) return;
        try (EventStore store = new EventStore(paths, env)) {
            store.connection();
        } catch (SQLException e) {
            if (MetaDb.exists(paths)) return; // not writable now: read what is there
            throw new NetskyException(DbDiag.explain(paths, e, null), e);
        }
    }

    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        char quote = 0;
        while (i < sql.length()) {
            char ch = sql.charAt(i);
            if (quote != 0) {
                out.append(ch);
                if (ch == quote) quote = 0;
                i++;
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
                out.append(ch);
                i++;
            } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') i++;
            } else if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
                out.append(' ');
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean containsUnquotedSemicolon(String s) {
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0;
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == ';') {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}
