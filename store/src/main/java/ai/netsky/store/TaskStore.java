package ai.netsky.store;

import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code netsky task}: work tracking in meta.db, append-only. Every change is a row of
 * {@code task_events} ({@code task_id, action, actor, agent, title, detail}); a task's state is the
 * fold of its rows, so the history is never lost. Unlike best-effort event recording, a task write
 * that cannot reach meta.db fails loudly (a task that only sits in the spool would be missing from
 * {@code task list}); each write is one {@code BEGIN IMMEDIATE} transaction, so ids stay unique and
 * transitions are checked against the latest state even with many writers.
 */
public final class TaskStore {
    public enum Status { OPEN, IN_PROGRESS, DONE, DROPPED;
        public String label() { return name().toLowerCase(Locale.ROOT); }

        public boolean closed() { return this == DONE || this == DROPPED; }
    }

    /** The actions a task can take; each names the statuses it may start from. */
    public enum Action {
        ADD, START, ASSIGN, NOTE, DONE, DROP, REOPEN;

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    public record Entry(String ts, String action, String actor, String agent, String detail) {}

    public record Task(long id, String title, Status status, String agent, String createdAt, String updatedAt, String createdBy,
                       List<Entry> history) {
        public Map<String, Object> json(boolean withHistory) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("title", title);
            m.put("status", status.label());
            m.put("agent", agent);
            m.put("created_at", createdAt);
            m.put("updated_at", updatedAt);
            m.put("created_by", createdBy);
            if (withHistory) {
                m.put("history", history.stream().map(e -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("ts", e.ts());
                    h.put("action", e.action());
                    h.put("actor", e.actor());
                    h.put("agent", e.agent());
                    h.put("detail", e.detail());
                    return h;
                }).toList());
            }
            return m;
        }
    }

    /** A change and whether it changed anything (done on a done task is a no-op, not an error). */
    public record Change(Task task, boolean changed) {}

    private final NetskyPaths paths;
    private final EventStore store;

    public TaskStore(NetskyPaths paths, Map<String, String> env) {
        this.paths = paths;
        this.store = new EventStore(paths, env);
    }

    public Task add(String title, String agent, String actor, String note, Instant now) {
        return write(c -> {
            long id;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(task_id), 0) + 1 FROM task_events")) {
                rs.next();
                id = rs.getLong(1);
            }
            insert(c, now, id, Action.ADD, actor, agent, title, note);
            return load(c, id).orElseThrow();
        });
    }

    public Change apply(long id, Action action, String actor, String agent, String detail, Instant now) {
        if (action == Action.ADD) throw new IllegalArgumentException("use add()");
        return write(c -> {
            Task t = load(c, id).orElseThrow(() -> new NetskyException("no task " + id + "; `netsky task list --all` shows the ids"));
            Status s = t.status();
            boolean noop = switch (action) {
                case DONE -> s == Status.DONE;
                case DROP -> s == Status.DROPPED;
                case REOPEN -> s == Status.OPEN || s == Status.IN_PROGRESS;
                case START -> s == Status.IN_PROGRESS && java.util.Objects.equals(t.agent(), agent);
                case ASSIGN -> java.util.Objects.equals(t.agent(), agent);
                default -> false;
            };
            if (noop && detail == null) return new Change(t, false);
            boolean allowed = switch (action) {
                case START, ASSIGN, DONE, DROP -> !s.closed() || noop;
                default -> true;
            };
            if (!allowed) {
                throw new NetskyException("task " + id + " is " + s.label() + "; `netsky task reopen " + id + "` first");
            }
            insert(c, now, id, action, actor, agent, null, detail);
            return new Change(load(c, id).orElseThrow(), true);
        });
    }

    public Optional<Task> get(long id) {
        return read(c -> load(c, id));
    }

    public List<Task> list() {
        return read(c -> {
            List<Task> out = new ArrayList<>();
            Map<Long, List<Object[]>> byTask = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT task_id, ts_utc, action, actor, agent, title, detail FROM task_events ORDER BY task_id, id")) {
                while (rs.next()) {
                    byTask.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Object[] {
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)});
                }
            }
            byTask.forEach((id, rows) -> fold(id, rows).ifPresent(out::add));
            return out;
        });
    }

    private interface Work<T> { T run(Connection c) throws SQLException; }

    private <T> T write(Work<T> work) {
        try {
            Connection c = store.connection();
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                T result = work.run(c);
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT");
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // The failure below is what matters.
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new NetskyException(DbDiag.explain(paths, e, null) + " (task not changed)", e);
        } finally {
            store.close();
        }
    }

    /** Reads through the migrating connection, so an older meta.db gains the (empty) table instead of an error. */
    private <T> T read(Work<T> work) {
        try {
            return work.run(store.connection());
        } catch (SQLException e) {
            throw new NetskyException(DbDiag.explain(paths, e, null), e);
        } finally {
            store.close();
        }
    }

    private static void insert(Connection c, Instant now, long id, Action a, String actor, String agent, String title, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO task_events (ts_utc, task_id, action, actor, agent, title, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, Rows.ts(now));
            ps.setLong(2, id);
            ps.setString(3, a.label());
            ps.setString(4, actor);
            ps.setString(5, agent);
            ps.setString(6, title);
            ps.setString(7, detail);
            ps.executeUpdate();
        }
    }

    private static Optional<Task> load(Connection c, long id) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ts_utc, action, actor, agent, title, detail FROM task_events WHERE task_id = ? ORDER BY id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
            }
        }
        return fold(id, rows);
    }

    /** The state machine: rows are {ts, action, actor, agent, title, detail} in insert order. */
    static Optional<Task> fold(long id, List<Object[]> rows) {
        if (rows.isEmpty() || !"add".equals(rows.get(0)[1])) return Optional.empty();
        String title = (String) rows.get(0)[4];
        String createdAt = (String) rows.get(0)[0];
        String createdBy = (String) rows.get(0)[2];
        String agent = (String) rows.get(0)[3];
        Status status = Status.OPEN;
        String updated = createdAt;
        List<Entry> history = new ArrayList<>();
        for (Object[] r : rows) {
            String action = (String) r[1];
            switch (action) {
                case "start" -> { status = Status.IN_PROGRESS; agent = (String) r[3]; }
                case "assign" -> agent = (String) r[3];
                case "done" -> status = Status.DONE;
                case "drop" -> status = Status.DROPPED;
                case "reopen" -> status = Status.OPEN;
                default -> { }
            }
            updated = (String) r[0];
            history.add(new Entry((String) r[0], action, (String) r[2], (String) r[3], (String) r[5]));
        }
        return Optional.of(new Task(id, title, status, agent, createdAt, updated, createdBy, List.copyOf(history)));
    }
}
