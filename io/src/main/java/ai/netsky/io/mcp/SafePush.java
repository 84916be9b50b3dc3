package ai.netsky.io.mcp;

import ai.netsky.core.EnvelopeRules;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What owner sources push is written by outsiders (an iMessage, a mail, an invitation). Claude
 * Code renders it inside {@code <channel source="…" …>…</channel>}, so a body holding a wrapper
 * token could close the tag and forge a new one: such a body is XML-escaped whole (as netsky's
 * {@code xml_escape_body}). Meta values become tag attributes, so quotes, angle brackets, ampersands
 * and control characters in them are replaced by {@code _}.
 */
public final class SafePush {
    private SafePush() {}

    public static String content(String text) {
        return EnvelopeRules.bodyContainsWrapperTokens(text) ? EnvelopeRules.xmlEscapeBody(text) : text;
    }

    public static Map<String, String> meta(Map<String, String> meta) {
        Map<String, String> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> out.put(k, v == null ? null : v.replaceAll("[\"<>&\\p{Cntrl}]", "_")));
        return out;
    }

    public static IoSource.Push wrap(IoSource.Push push) {
        return (content, meta) -> push.push(content(content), meta(meta));
    }
}
