package ai.netsky.io.imessage;

import java.time.Instant;

/**
 * One chat.db row joined with its chat and sender. {@code user} is the sender's handle
 * ({@code null} for the owner's own messages); {@code style} 45 is a one-to-one chat, 43 a group.
 */
public record ChatMessage(long rowId, String guid, String chatGuid, int chatStyle, String user, String text,
                          boolean fromMe, String service, boolean hasAttachments, Instant ts) {

    public static final int STYLE_DM = 45;

    /** The shape tools return: {@code {id, chat_id, user, text, is_from_me, ts}}. */
    public java.util.Map<String, Object> toJson() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("id", guid);
        m.put("chat_id", chatGuid);
        m.put("user", fromMe ? "me" : user);
        m.put("text", text);
        m.put("is_from_me", fromMe);
        m.put("ts", ai.netsky.core.Timestamps.rfc3339(ts));
        return m;
    }
}
