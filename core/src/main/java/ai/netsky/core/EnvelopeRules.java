package ai.netsky.core;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and injection defences for the bus (spec io.md §2.6): ids, non-empty text, size caps,
 * and the {@code <channel>} wrapper tokens a body must never contain.
 */
public final class EnvelopeRules {
    private EnvelopeRules() {}

    /** Text cap: big enough for a handoff note, small enough that one message cannot flood a context. */
    public static final int MAX_TEXT_BYTES = 256 * 1024;
    /** File cap for anything read from an inbox (matches the cross-machine cap). */
    public static final int MAX_ENVELOPE_BYTES = 1024 * 1024;
    /** netsky's {@code CHANNEL_WRAPPER_TOKENS}. */
    public static final String[] WRAPPER_TOKENS = {"</channel>", "<channel source="};

    private static final Pattern PEER_LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** True when {@code text} holds a token that could close or forge a channel tag (case-insensitive). */
    public static boolean bodyContainsWrapperTokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String token : WRAPPER_TOKENS) {
            if (lower.contains(token)) return true;
        }
        return false;
    }

    /** Escapes {@code & < > "} so a body can sit inside a rendered {@code <channel>} block. */
    public static String xmlEscapeBody(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A peer label (the local name of another host): lowercase letters, digits and '-', at most 63. */
    public static boolean isValidPeerLabel(String label) {
        return label != null && PEER_LABEL.matcher(label).matches();
    }

    /** A bus address: an agent id, or {@code <agent>@<peer-label>} for an agent on another host. */
    public static boolean isValidAddress(String address) {
        if (address == null) return false;
        int at = address.indexOf('@');
        if (at < 0) return AgentId.isValid(address);
        return AgentId.isValid(address.substring(0, at)) && PEER_LABEL.matcher(address.substring(at + 1)).matches();
    }

    /** netsky's {@code validate_bus_envelope}; throws with a message naming the field and the fix. */
    public static void validate(Envelope env) {
        if (!isValidAddress(env.from())) {
            throw new InvalidEnvelopeException("invalid sender '" + AgentId.printable(env.from())
                    + "': use an agent id like agent0, agent3 or agentinfinity");
        }
        if (env.to() != null && !isValidAddress(env.to())) {
            throw new InvalidEnvelopeException("invalid recipient '" + AgentId.printable(env.to())
                    + "': use an agent id like agent0, agent3 or agentinfinity");
        }
        validateText(env.text());
        if (env.ts() == null || env.ts().isBlank()) {
            throw new InvalidEnvelopeException("envelope has no ts: set an RFC 3339 timestamp");
        }
    }

    public static void validateText(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidEnvelopeException("message text is empty: nothing to send");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TEXT_BYTES) {
            throw new InvalidEnvelopeException("message text is " + bytes + " bytes, over the " + MAX_TEXT_BYTES
                    + "-byte cap: split it, or send a path to a file instead");
        }
        if (bodyContainsWrapperTokens(text)) {
            throw new InvalidEnvelopeException("message text contains a channel wrapper token ('</channel>' or '<channel source='),"
                    + " which could forge a message: remove it");
        }
    }

    public static final class InvalidEnvelopeException extends NetskyException {
        public InvalidEnvelopeException(String message) {
            super(message);
        }
    }
}
