package ai.netsky.io.imessage;

import ai.netsky.core.NetskyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Read-only access to Messages' {@code chat.db} (opened {@code SQLITE_OPEN_READONLY}; netsky never
 * writes it). Every query that returns messages is restricted to a given set of chat GUIDs, so a
 * caller cannot see a row from a chat it did not resolve from the allowlist.
 */
public final class ChatDb implements AutoCloseable {
    public static final String ENV_CHAT_DB = "NETSKY_IO_CHAT_DB";

    private final Path file;
    private final Connection conn;

    private ChatDb(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    /** {@code $NETSKY_IO_CHAT_DB}, else {@code ~/Library/Messages/chat.db}. */
    public static Path defaultPath(Map<String, String> env) {
        String override = env.get(ENV_CHAT_DB);
        if (override != null && !override.isBlank()) return Path.of(override);
        return Path.of(env.getOrDefault("HOME", "/"), "Library", "Messages", "chat.db");
    }

    public static ChatDb open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NetskyException("cannot open chat.db at " + file + ": no such file; on macOS grant Full Disk Access to the program running netsky"
                    + " (System Settings → Privacy & Security → Full Disk Access), elsewhere set " + ENV_CHAT_DB + " to a copied chat.db");
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setOpenMode(SQLiteOpenMode.READONLY);
        cfg.setOpenMode(SQLiteOpenMode.NOMUTEX);
        cfg.setBusyTimeout(2000);
        try {
            Connection c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM message")) {
                rs.next();
            }
            return new ChatDb(file, c);
        } catch (SQLException e) {
            throw new NetskyException("cannot read chat.db at " + file + ": " + e.getMessage()
                    + "; on macOS grant Full Disk Access to the program running netsky (System Settings → Privacy & Security → Full Disk Access)", e);
        }
    }

    public Path file() { return file; }

    private static final long SELF_TTL_NANOS = 60_000_000_000L;
    private Set<String> selfCache;
    private long selfAt;

    /**
     * The owner's own accounts ({@code message.account} of sent messages), without the
     * {@code E:}/{@code P:} prefix. The query scans the message table, so it is cached for a minute
     * (accounts change when the owner signs in with a new Apple ID, not per message).
     */
    public synchronized Set<String> selfHandles() {
        long now = System.nanoTime();
        if (selfCache != null && now - selfAt < SELF_TTL_NANOS) return selfCache;
        selfCache = Set.copyOf(new LinkedHashSet<>(querySelfHandles()));
        selfAt = now;
        return selfCache;
    }

    private Set<String> querySelfHandles() {
        Set<String> out = new LinkedHashSet<>();
        try (var st = conn.prepareStatement("SELECT DISTINCT account FROM message WHERE is_from_me = 1 AND account IS NOT NULL");
             var rs = st.executeQuery()) {
            while (rs.next()) {
                String a = rs.getString(1).strip();
                if (a.length() > 2 && (a.startsWith("E:") || a.startsWith("e:") || a.startsWith("P:") || a.startsWith("p:"))) a = a.substring(2);
                if (!a.isEmpty()) out.add(a.toLowerCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            throw failure("read the owner's accounts", e);
        }
        return out;
    }

    /** GUIDs of one-to-one chats (style 45) with any of {@code handles} (case-insensitive). Group chats never match. */
    public Set<String> dmChatsWith(Collection<String> handles) {
        Set<String> out = new LinkedHashSet<>();
        if (handles.isEmpty()) return out;
        String sql = "SELECT DISTINCT c.guid FROM chat c JOIN chat_handle_join chj ON chj.chat_id = c.ROWID JOIN handle h ON h.ROWID = chj.handle_id"
                + " WHERE c.style = " + ChatMessage.STYLE_DM + " AND lower(h.id) IN (" + placeholders(handles.size()) + ")";
        try (var st = conn.prepareStatement(sql)) {
            int i = 1;
            for (String h : handles) st.setString(i++, h.toLowerCase(Locale.ROOT));
            try (var rs = st.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure("resolve allowlisted chats", e);
        }
        return out;
    }

    private static final String SELECT = "SELECT m.ROWID, m.guid, m.text, m.attributedBody, m.is_from_me, m.date, m.service, m.cache_has_attachments,"
            + " h.id, c.guid, c.style FROM message m JOIN chat_message_join cmj ON cmj.message_id = m.ROWID JOIN chat c ON c.ROWID = cmj.chat_id"
            + " LEFT JOIN handle h ON h.ROWID = m.handle_id";

    /** How many of the newest rows a text query looks through, so one query cannot walk years of history. */
    static final int QUERY_WINDOW = 5000;

    /**
     * Newest first, only in {@code chats}. {@code query} matches the decoded text case-insensitively
     * (attributedBody-only rows included), so matching happens here rather than in SQL {@code LIKE}.
     *
     * <p>Two steps, because neither single-query plan is fast for both a quiet and a busy allowlist:
     * the newest message ids of each allowed chat come from {@code chat_message_join}'s
     * (chat_id, message_id) key, walked backwards (a few index probes per chat); only the overall
     * newest of those are then read, decoded and — again restricted to {@code chats} — returned.
     */
    public List<ChatMessage> list(Set<String> chats, String query, int limit) {
        List<ChatMessage> out = new ArrayList<>();
        if (chats.isEmpty()) return out;
        String q = query == null || query.isBlank() ? null : query.toLowerCase(Locale.ROOT);
        int window = q == null ? limit : Math.max(limit, QUERY_WINDOW);
        List<Long> ids = newestIds(chats, window);
        for (int from = 0; from < ids.size() && out.size() < limit; from += 200) {
            for (ChatMessage m : rows(chats, ids.subList(from, Math.min(ids.size(), from + 200)))) {
                if (out.size() >= limit) break;
                if (q == null || m.text().toLowerCase(Locale.ROOT).contains(q)) out.add(m);
            }
        }
        return out;
    }

    private List<Long> newestIds(Set<String> chats, int window) {
        List<Long> chatRows = new ArrayList<>();
        try (var st = conn.prepareStatement("SELECT ROWID FROM chat WHERE guid IN (" + placeholders(chats.size()) + ")")) {
            bind(st, chats);
            try (var rs = st.executeQuery()) {
                while (rs.next()) chatRows.add(rs.getLong(1));
            }
            List<Long> ids = new ArrayList<>();
            try (var per = conn.prepareStatement("SELECT message_id FROM chat_message_join WHERE chat_id = ? ORDER BY message_id DESC LIMIT ?")) {
                for (long chat : chatRows) {
                    per.setLong(1, chat);
                    per.setInt(2, window);
                    try (var rs = per.executeQuery()) {
                        while (rs.next()) ids.add(rs.getLong(1));
                    }
                }
            }
            ids.sort(java.util.Comparator.reverseOrder());
            return ids.stream().distinct().limit(window).toList();
        } catch (SQLException e) {
            throw failure("list messages", e);
        }
    }

    /** The rows with these ids, newest first — still joined and filtered on {@code chats}, so no other chat's row can appear. */
    private List<ChatMessage> rows(Set<String> chats, List<Long> ids) {
        List<ChatMessage> out = new ArrayList<>();
        if (ids.isEmpty()) return out;
        String sql = SELECT + " WHERE m.ROWID IN (" + placeholders(ids.size()) + ") AND c.guid IN (" + placeholders(chats.size()) + ") ORDER BY m.ROWID DESC";
        try (var st = conn.prepareStatement(sql)) {
            int i = 1;
            for (long id : ids) st.setLong(i++, id);
            for (String c : chats) st.setString(i++, c);
            try (var rs = st.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
        } catch (SQLException e) {
            throw failure("list messages", e);
        }
        return out;
    }

    /** The message with GUID {@code guid}, only if it is in one of {@code chats}. */
    public Optional<ChatMessage> read(Set<String> chats, String guid) {
        if (chats.isEmpty()) return Optional.empty();
        String sql = SELECT + " WHERE m.guid = ? AND c.guid IN (" + placeholders(chats.size()) + ") LIMIT 1";
        try (var st = conn.prepareStatement(sql)) {
            st.setString(1, guid);
            int i = 2;
            for (String c : chats) st.setString(i++, c);
            try (var rs = st.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read a message", e);
        }
    }

    public long maxRowId() {
        try (var st = conn.prepareStatement("SELECT COALESCE(MAX(ROWID), 0) FROM message"); var rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("read the newest message id", e);
        }
    }

    /** Every row after {@code watermark}, oldest first, from any chat: the watcher filters (and drops) them itself. */
    public List<ChatMessage> after(long watermark, int max) {
        List<ChatMessage> out = new ArrayList<>();
        try (var st = conn.prepareStatement(SELECT + " WHERE m.ROWID > ? ORDER BY m.ROWID ASC LIMIT ?")) {
            st.setLong(1, watermark);
            st.setInt(2, max);
            try (var rs = st.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
        } catch (SQLException e) {
            throw failure("poll new messages", e);
        }
        return out;
    }

    private static ChatMessage row(ResultSet rs) throws SQLException {
        String text = rs.getString(3);
        if (text == null || text.isEmpty()) text = TypedStream.text(rs.getBytes(4)).orElse("");
        return new ChatMessage(rs.getLong(1), rs.getString(2), rs.getString(10), rs.getInt(11), rs.getString(9), text,
                rs.getInt(5) != 0, rs.getString(7), rs.getInt(8) != 0, AppleTime.toInstant(rs.getLong(6)));
    }

    private static int bind(PreparedStatement st, Collection<String> values) throws SQLException {
        int i = 1;
        for (String v : values) st.setString(i++, v);
        return i;
    }

    private static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    private NetskyException failure(String what, SQLException e) {
        return new NetskyException("cannot " + what + " from chat.db at " + file + ": " + e.getMessage() + "; check that it is Messages' chat.db", e);
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // Read-only connection: nothing to lose.
        }
    }
}
