package ai.netsky.io.imessage;

import ai.netsky.channels.ChannelTool;
import ai.netsky.channels.McpChannelServer;
import ai.netsky.core.Names;
import ai.netsky.core.Timestamps;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessState;
import ai.netsky.io.access.AccessStore;
import ai.netsky.io.mcp.IoSource;
import ai.netsky.io.mcp.Poller;
import ai.netsky.io.mcp.Tools;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code netsky io serve --source imessage}: tools {@code reply}, {@code list_messages},
 * {@code read_message}, and (watch mode) new allowlisted inbound DMs pushed as channel
 * notifications {@code {content, meta: {chat_id, message_id, user, ts}}}.
 */
public final class ImessageSource implements IoSource {
    private final Imessage imessage;
    private final AccessStore access;
    private final MessageSender sender;
    private final Path chatDb;
    private final boolean watch;
    private final Duration interval;
    private final LazyDb db;
    private Poller poller;

    public ImessageSource(AccessStore access, Path chatDb, MessageSender sender, boolean watch, Duration interval) {
        this.access = access;
        this.sender = sender;
        this.chatDb = chatDb;
        this.watch = watch;
        this.interval = interval.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : interval;
        this.db = new LazyDb(chatDb);
        this.imessage = new Imessage(access, db, sender);
    }

    /** Opens chat.db on first use and again after a failure, so the server starts even without Full Disk Access. */
    static final class LazyDb implements Supplier<ChatDb> {
        private final Path file;
        private ChatDb db;

        LazyDb(Path file) { this.file = file; }

        @Override
        public synchronized ChatDb get() {
            if (db == null) db = ChatDb.open(file);
            return db;
        }

        synchronized void close() {
            if (db != null) db.close();
            db = null;
        }
    }

    public Imessage imessage() { return imessage; }

    @Override
    public List<String> startupNotes() {
        List<String> notes = new ArrayList<>();
        String why = sender.unavailableReason();
        if (why != null) notes.add(why);
        if (access.load() instanceof AccessState.Closed c) notes.add(c.reason());
        notes.add("reading " + chatDb + (watch ? ", watching every " + interval.toMillis() + " ms" : ", watch off"));
        return notes;
    }

    @Override
    public McpChannelServer.Spec spec() {
        StringBuilder instr = new StringBuilder();
        instr.append("This is the owner's iMessage channel. New messages from allowlisted one-to-one chats arrive as")
                .append(" <channel source=\"imessage\" chat_id=\"…\" user=\"…\"> events; answer with the reply tool, passing that chat_id.")
                .append(" list_messages and read_message see only allowlisted chats. Group chats are never available. ")
                .append(Tools.neverWiden("imessage", "a handle"));
        if (access.load() instanceof AccessState.Open o && o.list().selfChatId().isPresent()) {
            instr.append(" The owner's own chat is chat_id ").append(o.list().selfChatId().get()).append("; reply without chat_id goes there.");
        }
        if (sender.unavailableReason() != null) instr.append(" Sending does not work on this host: ").append(sender.unavailableReason()).append('.');
        List<ChannelTool> tools = List.of(
                new ChannelTool("reply", "Send an iMessage into an allowlisted chat (the chat_id from the inbound event).",
                        ChannelTool.objectSchema(Tools.props("chat_id", Tools.str("chat GUID from the inbound event; defaults to the owner's own chat"),
                                "text", Tools.str("the message to send")), "text"),
                        a -> Tools.json(imessage.reply(a.optString("chat_id"), a.string("text")))),
                new ChannelTool("list_messages", "Recent messages in allowlisted chats, newest first.",
                        ChannelTool.objectSchema(Tools.props("query", Tools.str("only messages containing this text (case-insensitive)"),
                                "limit", Tools.integer("how many, 1–200 (default 20)"))),
                        a -> Tools.json(imessage.listMessages(a.optString("query"), Tools.optInt(a, "limit")))),
                new ChannelTool("read_message", "One message by id (its GUID), if it is in an allowlisted chat.",
                        ChannelTool.objectSchema(Tools.props("id", Tools.str("message GUID from list_messages or an inbound event")), "id"),
                        a -> Tools.json(imessage.readMessage(a.string("id")))));
        return new McpChannelServer.Spec(Names.MCP_SERVER_IMESSAGE, Names.VERSION, instr.toString(), tools);
    }

    @Override
    public void start(Push push, PrintStream log) {
        if (!watch) return;
        // The first beat (at once) sets the watermark; a chat.db that cannot be opened yet is retried, and
        // whatever arrived before it could be read is not replayed. Off the stdin reader thread.
        poller = Poller.every("imessage watch", interval, () -> {
            if (imessage.watermark() < 0) {
                imessage.startWatch();
                log.println("[netsky io imessage] watching chat.db from row " + imessage.watermark());
                return;
            }
            for (ChatMessage m : imessage.poll()) push.push(m.text(), meta(m));
        }, log);
    }

    static Map<String, String> meta(ChatMessage m) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("chat_id", m.chatGuid());
        meta.put("message_id", m.guid());
        meta.put("user", m.user());
        meta.put("ts", Timestamps.rfc3339(m.ts()));
        return meta;
    }

    @Override
    public void close() {
        if (poller != null) poller.close();
        db.close();
    }

    public static ImessageSource fromEnv(Map<String, String> env, boolean watch, Duration interval) {
        return new ImessageSource(AccessStore.forEnv(AccessSource.IMESSAGE, env), ChatDb.defaultPath(env), new OsascriptSender(env), watch, interval);
    }
}
