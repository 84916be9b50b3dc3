package ai.netsky.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ~/.env} loaded at start (spec cli.md §2.2, netsky's {@code load_home_dotenv}): each line is
 * trimmed; empty lines and lines starting with {@code #} are skipped; a leading {@code export } is
 * stripped; the line splits at the first {@code =}; key and value are trimmed. Variables already set
 * in the environment always win. A missing or unreadable file is ignored, as in netsky.
 *
 * <p>Where the spec was cut off, the common dotenv conventions apply: a value in matching double
 * quotes may use {@code \n}, {@code \t}, {@code \"} and {@code \\}; a value in single quotes is
 * literal; in an unquoted value, {@code " #"} starts a comment. A key that is not a shell variable
 * name ({@code [A-Za-z_][A-Za-z0-9_]*}) skips its line, so a typo never sets something odd.
 */
public final class DotEnv {
    private DotEnv() {}

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A file bigger than this is not a dotenv file; ignore it rather than read it into every command. */
    static final long MAX_BYTES = 1 << 20;

    public static Map<String, String> overlay(Map<String, String> env) {
        String home = env.get("HOME");
        if (home == null || home.isBlank()) return env;
        Path file = Path.of(home, ".env");
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) return env;
            text = Files.readString(file);
        } catch (IOException | SecurityException | java.io.UncheckedIOException missingOrUnreadable) {
            return env;
        }
        Map<String, String> merged = new HashMap<>(env);
        parse(text).forEach(merged::putIfAbsent);
        return merged;
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ") || line.startsWith("export\t")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq).strip();
            if (!KEY.matcher(key).matches()) continue;
            out.put(key, value(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String value(String v) {
        if (v.length() >= 2 && v.charAt(0) == '"') {
            int close = closingDoubleQuote(v);
            if (close > 0) return unescape(v.substring(1, close));
        }
        if (v.length() >= 2 && v.charAt(0) == '\'') {
            int close = v.indexOf('\'', 1);
            if (close > 0) return v.substring(1, close);
        }
        int hash = v.indexOf(" #");
        if (hash < 0) hash = v.indexOf("\t#");
        return hash >= 0 ? v.substring(0, hash).strip() : v;
    }

    private static int closingDoubleQuote(String v) {
        for (int i = 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') i++;
            else if (c == '"') return i;
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case '"', '\\', '$' -> b.append(n);
                    default -> b.append('\\').append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
