package ai.netsky.io.imessage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A chat.db built the way Messages lays it out (the tables and columns netsky reads, with Apple's
 * names and types, WAL journal), written through a separate read-write connection while netsky
 * reads it read-only — as on a Mac where Messages keeps writing.
 */
public final class ChatDbFixture implements AutoCloseable {
    public final Path file;
    private final Connection conn;
    private int guidSeq;

    public ChatDbFixture(Path file) throws SQLException {
        this.file = file;
        this.conn = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=OFF"); // a throwaway fixture: no fsync per insert on a shared, busy disk
            st.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL,"
                    + " uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service))");
            st.execute("CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER,"
                    + " account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT,"
                    + " is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0)");
            st.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0,"
                    + " service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0,"
                    + " type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER,"
                    + " date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0,"
                    + " is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0,"
                    + " associated_message_guid TEXT, thread_originator_guid TEXT)");
            st.execute("CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID)"
                    + " ON DELETE CASCADE, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id))");
            st.execute("CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID)"
                    + " ON DELETE CASCADE, UNIQUE(chat_id, handle_id))");
        }
    }

    public long handle(String id, String service) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("INSERT INTO handle (id, service, country) VALUES (?, ?, 'us')", Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, id);
            st.setString(2, service);
            st.executeUpdate();
            var rs = st.getGeneratedKeys();
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A chat with the given members; style 45 = one-to-one, 43 = group. */
    public long chat(String guid, int style, String service, long... handles) throws SQLException {
        long id;
        try (PreparedStatement st = conn.prepareStatement("INSERT INTO chat (guid, style, state, chat_identifier, service_name) VALUES (?, ?, 3, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, guid);
            st.setInt(2, style);
            st.setString(3, guid.substring(guid.lastIndexOf(';') + 1));
            st.setString(4, service);
            st.executeUpdate();
            var rs = st.getGeneratedKeys();
            rs.next();
            id = rs.getLong(1);
        }
        for (long h : handles) {
            try (PreparedStatement st = conn.prepareStatement("INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?, ?)")) {
                st.setLong(1, id);
                st.setLong(2, h);
                st.executeUpdate();
            }
        }
        return id;
    }

    public record Row(long rowId, String guid) {}

    public Row message(long chat, long handle, String text, byte[] attributedBody, boolean fromMe, String service, boolean attachments) throws SQLException {
        String guid = "MSG-" + (++guidSeq) + "-" + Long.toHexString(System.nanoTime());
        long date = AppleTime.fromInstant(Instant.parse("2026-04-18T00:50:58Z").plusSeconds(guidSeq));
        long rowId;
        try (PreparedStatement st = conn.prepareStatement("INSERT INTO message (guid, text, attributedBody, handle_id, service, account, date, is_from_me,"
                + " cache_has_attachments, is_finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", Statement.RETURN_GENERATED_KEYS)) {
            st.setString(1, guid);
            st.setString(2, text);
            st.setBytes(3, attributedBody);
            st.setLong(4, fromMe ? 0 : handle);
            st.setString(5, service);
            st.setString(6, fromMe ? "E:Owner@Example.com" : null);
            st.setLong(7, date);
            st.setInt(8, fromMe ? 1 : 0);
            st.setInt(9, attachments ? 1 : 0);
            st.executeUpdate();
            var rs = st.getGeneratedKeys();
            rs.next();
            rowId = rs.getLong(1);
        }
        try (PreparedStatement st = conn.prepareStatement("INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)")) {
            st.setLong(1, chat);
            st.setLong(2, rowId);
            st.setLong(3, date);
            st.executeUpdate();
        }
        return new Row(rowId, guid);
    }

    public Row inbound(long chat, long handle, String text) throws SQLException {
        return message(chat, handle, text, null, false, "iMessage", false);
    }

    /**
     * An NSAttributedString archived as a typedstream, laid out as macOS writes it: the header, the
     * class chain NSAttributedString → NSObject, then NSString and its '+'-tagged, length-prefixed UTF-8.
     */
    public static byte[] attributedBody(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x04, 0x0b});
        b.writeBytes("streamtyped".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {(byte) 0x81, (byte) 0xe8, 0x03, (byte) 0x84, 0x01, 0x40, (byte) 0x84, (byte) 0x84, (byte) 0x84, 0x12});
        b.writeBytes("NSAttributedString".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, (byte) 0x84, (byte) 0x84, 0x08});
        b.writeBytes("NSObject".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, (byte) 0x85, (byte) 0x92, (byte) 0x84, (byte) 0x84, (byte) 0x84, 0x08});
        b.writeBytes("NSString".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x01, (byte) 0x94, (byte) 0x84, 0x01, 0x2b});
        int n = utf8.length;
        if (n < 0x80) {
            b.write(n);
        } else if (n <= Short.MAX_VALUE) {
            b.write(0x81);
            b.write(n & 0xff);
            b.write((n >> 8) & 0xff);
        } else {
            b.write(0x82);
            for (int i = 0; i < 4; i++) b.write((n >> (8 * i)) & 0xff);
        }
        b.writeBytes(utf8);
        b.writeBytes(new byte[] {(byte) 0x86, (byte) 0x84, 0x02, 0x69, 0x49, 0x01, 0x01, (byte) 0x92, (byte) 0x84, (byte) 0x84, (byte) 0x84, 0x0c});
        b.writeBytes("NSDictionary".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, (byte) 0x94, (byte) 0x84, 0x01, 0x69, 0x01, (byte) 0x92, (byte) 0x84, (byte) 0x96, (byte) 0x96, 0x1d});
        b.writeBytes("__kIMMessagePartAttributeName".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {(byte) 0x86, (byte) 0x92, (byte) 0x84, (byte) 0x84, (byte) 0x84, 0x08});
        b.writeBytes("NSNumber".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, (byte) 0x84, (byte) 0x84, 0x07});
        b.writeBytes("NSValue".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0x00, (byte) 0x94, (byte) 0x84, 0x01, 0x2a, (byte) 0x84, (byte) 0x99, (byte) 0x99, 0x00, (byte) 0x86, (byte) 0x86, (byte) 0x86});
        return b.toByteArray();
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
