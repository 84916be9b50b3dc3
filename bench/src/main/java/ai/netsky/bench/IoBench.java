package ai.netsky.bench;

import ai.netsky.core.NetskyPaths;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessStore;
import ai.netsky.io.imessage.ChatDb;
import ai.netsky.io.imessage.Imessage;
import ai.netsky.io.imessage.TypedStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;


/**
 * Issue 6 figures on a large synthetic chat.db (Apple's tables and indices): the cost of one
 * allowlisted {@code list_messages} and of one idle watch poll, each against the bare SQL that
 * any reader would need anyway (same database, same run), plus attributedBody decoding vs a plain
 * UTF-8 decode. Usage: bench/run IoBench [messages] [runs] [allowlisted handles]
 */
public final class IoBench {
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int allowed = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path home = Files.createTempDirectory("netsky-iobench-");
        Path db = home.resolve("chat.db");
        build(db, messages);
        AccessStore access = new AccessStore(AccessSource.IMESSAGE, home.resolve(".config/netsky-io/imessage/access.toml"), new NetskyPaths(home));
        List<String> handles = new java.util.ArrayList<>();
        for (int h = 0; h < allowed; h++) handles.add("+1555" + String.format("%07d", h));
        access.allow(handles);
        try (ChatDb chat = ChatDb.open(db); Connection raw = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Imessage im = new Imessage(access, () -> chat, (t, g) -> {});
            im.startWatch();
            Stats list = time(runs, () -> im.listMessages(null, 20));
            Stats query = time(runs / 3, () -> im.listMessages("needle", 20));
            Stats poll = time(runs, im::poll);
            PreparedStatement newest = raw.prepareStatement("SELECT guid, text FROM message ORDER BY ROWID DESC LIMIT 20");
            Stats baseList = time(runs, () -> {
                try (var rs = newest.executeQuery()) {
                    while (rs.next()) rs.getString(2);
                }
            });
            PreparedStatement max = raw.prepareStatement("SELECT MAX(ROWID) FROM message");
            Stats basePoll = time(runs, () -> {
                try (var rs = max.executeQuery()) {
                    rs.next();
                }
            });
            System.out.printf("chat.db: %d messages in 220 chats (200 DMs, 20 groups), 30%% attributedBody-only; allowlist: %d handle(s)%n", messages, allowed);
            System.out.printf("list_messages(limit 20), allowlist re-read + chats resolved + decode: %s%n", list);
            System.out.printf("  baseline: bare SELECT newest 20 rows (no allowlist, no join):      %s  -> %.1fx%n", baseList, list.medianMs() / baseList.medianMs());
            System.out.printf("list_messages(query \"needle\", no match, scans <= 5000 rows):         %s%n", query);
            System.out.printf("idle watch poll (no new rows):                                          %s%n", poll);
            System.out.printf("  baseline: SELECT MAX(ROWID):                                          %s  -> %.1fx%n", basePoll, poll.medianMs() / basePoll.medianMs());
        }
        byte[] blob = attributedBody("x".repeat(180));
        byte[] utf8 = "x".repeat(180).getBytes(StandardCharsets.UTF_8);
        int n = 2_000_000;
        long sink = 0;
        for (int i = 0; i < n / 10; i++) sink += TypedStream.text(blob).orElseThrow().length() + new String(utf8, StandardCharsets.UTF_8).length(); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) sink += TypedStream.text(blob).orElseThrow().length();
        double decode = (System.nanoTime() - t0) / (double) n;
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) sink += new String(utf8, StandardCharsets.UTF_8).length();
        double plain = (System.nanoTime() - t1) / (double) n;
        System.out.printf("attributedBody decode (180-char message): %.0f ns; baseline new String(utf8): %.0f ns -> %.1fx (checksum %d)%n", decode, plain, decode / plain, sink % 7);
    }

    interface Work {
        void run() throws Exception;
    }

    static Stats time(int runs, Work w) throws Exception {
        for (int i = 0; i < Math.max(10, runs / 10); i++) w.run();
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            w.run();
            t[i] = System.nanoTime() - s;
        }
        return Stats.of(t);
    }

    static void build(Path file, int messages) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, service TEXT NOT NULL, UNIQUE (id, service))");
            st.execute("CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, chat_identifier TEXT, service_name TEXT)");
            st.execute("CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, handle_id INTEGER DEFAULT 0,"
                    + " attributedBody BLOB, service TEXT, account TEXT, date INTEGER, is_from_me INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0)");
            st.execute("CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id))");
            st.execute("CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER, UNIQUE(chat_id, handle_id))");
            // Apple's own indices on the join tables.
            st.execute("CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id)");
            st.execute("CREATE INDEX chat_message_join_idx_message_date_id_chat_id ON chat_message_join(chat_id, message_date, message_id)");
            st.execute("CREATE INDEX chat_handle_join_idx_handle_id ON chat_handle_join(handle_id)");
            c.setAutoCommit(false);
            for (int h = 0; h < 200; h++) {
                st.execute("INSERT INTO handle (id, service) VALUES ('+1555" + String.format("%07d", h) + "', 'iMessage')");
                st.execute("INSERT INTO chat (guid, style, service_name) VALUES ('iMessage;-;+1555" + String.format("%07d", h) + "', 45, 'iMessage')");
                st.execute("INSERT INTO chat_handle_join VALUES (" + (h + 1) + ", " + (h + 1) + ")");
            }
            for (int g = 0; g < 20; g++) {
                st.execute("INSERT INTO chat (guid, style, service_name) VALUES ('iMessage;+;chat" + g + "', 43, 'iMessage')");
                for (int k = 0; k < 5; k++) st.execute("INSERT INTO chat_handle_join VALUES (" + (201 + g) + ", " + (g * 5 + k + 1) + ")");
            }
            try (PreparedStatement m = c.prepareStatement("INSERT INTO message (guid, text, attributedBody, handle_id, service, date) VALUES (?, ?, ?, ?, 'iMessage', ?)");
                 PreparedStatement j = c.prepareStatement("INSERT INTO chat_message_join VALUES (?, ?, ?)")) {
                for (int i = 1; i <= messages; i++) {
                    int chat = 1 + (i * 7919) % 220;
                    String text = "message " + i + " " + "lorem ipsum ".repeat(5);
                    boolean bodyOnly = i % 10 < 3;
                    m.setString(1, "G" + i);
                    m.setString(2, bodyOnly ? null : text);
                    m.setBytes(3, bodyOnly ? attributedBody(text) : null);
                    m.setInt(4, chat <= 200 ? chat : 1 + i % 200);
                    m.setLong(5, 800_000_000_000_000_000L + i * 1_000_000_000L);
                    m.addBatch();
                    j.setInt(1, chat);
                    j.setInt(2, i);
                    j.setLong(3, 800_000_000_000_000_000L + i * 1_000_000_000L);
                    j.addBatch();
                    if (i % 5000 == 0) {
                        m.executeBatch();
                        j.executeBatch();
                    }
                }
                m.executeBatch();
                j.executeBatch();
            }
            c.commit();
        }
    }

    static byte[] attributedBody(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x04, 0x0b});
        b.writeBytes("streamtyped\u0081\u00e8\u0003\u0084\u0001@\u0084\u0084\u0084\u0012NSAttributedString\u0000\u0084\u0084\u0008NSObject\u0000\u0085\u0092\u0084\u0084\u0084\u0008NSString\u0001\u0094\u0084\u0001+"
                .getBytes(StandardCharsets.ISO_8859_1));
        if (utf8.length < 0x80) {
            b.write(utf8.length);
        } else {
            b.write(0x81);
            b.write(utf8.length & 0xff);
            b.write(utf8.length >> 8);
        }
        b.writeBytes(utf8);
        b.writeBytes(new byte[] {(byte) 0x86, (byte) 0x84});
        return b.toByteArray();
    }

    private IoBench() {}

}
