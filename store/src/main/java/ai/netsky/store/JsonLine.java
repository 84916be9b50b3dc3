package ai.netsky.store;

import java.util.Map;

/**
 * A spool/journal line written by hand: strings, numbers, booleans, null and nested maps only. On
 * the CLI's exit path a file append must not pay for initialising Jackson (~100 ms in a cold JVM);
 * reading the lines back (import) uses Jackson, off the hot path.
 */
public final class JsonLine {
    private JsonLine() {}

    /** A JSON array of strings (the CLI's {@code argv_json}). */
    public static String array(java.util.List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : items) {
            if (sb.length() > 1) sb.append(',');
            string(sb, s);
        }
        return sb.append(']').toString();
    }

    static String of(Map<String, ?> m) {
        StringBuilder sb = new StringBuilder(256);
        object(sb, m);
        return sb.toString();
    }

    private static void object(StringBuilder sb, Map<String, ?> m) {
        sb.append('{');
        boolean first = true;
        for (var e : m.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            value(sb, e.getValue());
        }
        sb.append('}');
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
            case Float f when f.isNaN() || f.isInfinite() -> sb.append("null");
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> m -> object(sb, (Map<String, ?>) m);
            default -> string(sb, v.toString());
        }
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
