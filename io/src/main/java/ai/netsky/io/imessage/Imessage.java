package ai.netsky.io.imessage;

import ai.netsky.io.access.AccessDenied;
import ai.netsky.io.access.AccessList;
import ai.netsky.io.access.AccessStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The iMessage source's behaviour, independent of MCP: the three tools and one watch poll. The
 * allowlist is re-read on every call, so {@code netsky io access} edits apply without a restart,
 * and every read is confined to the chats the allowlist resolves to (DMs only, never groups).
 */
public final class Imessage {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 200;

    private final AccessStore access;
    private final Supplier<ChatDb> db;
    private final MessageSender sender;
    private long watermark = -1;

    /** @param db opened lazily, so the server starts (and explains) even when chat.db is unreadable */
    public Imessage(AccessStore access, Supplier<ChatDb> db, MessageSender sender) {
        this.access = access;
        this.db = db;
        this.sender = sender;
    }

    /** Resolved view of the allowlist: the chat GUIDs a tool may touch. Throws when it fails closed. */
    public record Allowed(AccessList list, Set<String> chats) {}

    public Allowed allowed() {
        AccessList list = access.load().require();
        ChatDb d = db.get();
        Set<String> handles = new LinkedHashSet<>(list.handles());
        handles.addAll(d.selfHandles());
        Set<String> chats = new LinkedHashSet<>();
        list.selfChatId().ifPresent(chats::add);
        chats.addAll(d.dmChatsWith(handles));
        return new Allowed(list, chats);
    }

    public Map<String, Object> reply(String chatId, String text) {
        Allowed a = allowed();
        String chat = chatId == null || chatId.isBlank() ? a.list().selfChatId().orElse(null) : chatId.strip();
        if (chat == null) throw new IllegalArgumentException("chat_id is required (no [self] chat_id is configured in " + access.file() + ")");
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("text is empty; give the message to send");
        if (!a.chats().contains(chat)) {
            throw new AccessDenied("chat_id " + chat + " is not allowlisted (fail-closed); only the owner can allow it, with `netsky io access imessage allow <handle>`");
        }
        sender.send(text, chat);
        return Map.of("sent", true, "chat_id", chat);
    }

    public Map<String, Object> listMessages(String query, Integer limit) {
        int n = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(MAX_LIMIT, limit));
        Allowed a = allowed();
        List<Map<String, Object>> rows = db.get().list(a.chats(), query, n).stream().map(ChatMessage::toJson).toList();
        return Map.of("messages", rows);
    }

    public Map<String, Object> readMessage(String id) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id is required (a message GUID from list_messages)");
        Allowed a = allowed();
        return db.get().read(a.chats(), id.strip()).map(ChatMessage::toJson)
                .orElseThrow(() -> new AccessDenied("message " + id.strip() + " not found or not in an allowlisted chat"));
    }

    /** Starts watching at the newest row: history is never replayed. */
    public void startWatch() {
        watermark = db.get().maxRowId();
    }

    public long watermark() { return watermark; }

    /**
     * New inbound DMs since the last poll that pass every rule (not from me, iMessage service, a DM,
     * an allowlisted chat, a known sender, some text or an attachment). The watermark advances past
     * every row, kept or dropped. A closed allowlist drops everything.
     */
    public List<ChatMessage> poll() {
        if (watermark < 0) startWatch();
        List<ChatMessage> fresh = db.get().after(watermark, 500);
        if (fresh.isEmpty()) return List.of();
        watermark = fresh.get(fresh.size() - 1).rowId();
        Set<String> chats;
        try {
            chats = allowed().chats();
        } catch (AccessDenied closed) {
            return List.of();
        }
        return fresh.stream().filter(m -> deliverable(m, chats)).map(m -> m.text().isEmpty()
                ? new ChatMessage(m.rowId(), m.guid(), m.chatGuid(), m.chatStyle(), m.user(), "(image)", false, m.service(), true, m.ts())
                : m).toList();
    }

    static boolean deliverable(ChatMessage m, Set<String> chats) {
        if (m.fromMe()) return false;
        if (!"iMessage".equals(m.service())) return false; // SMS sender ids are spoofable
        if (m.chatStyle() != ChatMessage.STYLE_DM) return false;
        if (!chats.contains(m.chatGuid())) return false;
        if (m.user() == null || m.user().isBlank()) return false;
        return !m.text().isEmpty() || m.hasAttachments();
    }

    public String accessFile() { return access.file().toString(); }
}
