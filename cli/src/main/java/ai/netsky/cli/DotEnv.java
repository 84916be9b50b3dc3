package ai.netsky.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ~/.env} loaded at start (spec cli.md §2.2): {@code KEY=VALUE} lines, {@code #} comments,
 * optional {@code export }, optional matching quotes. Variables already set always win. A missing or
 * unreadable file is ignored, as in netsky.
 */
public final class DotEnv {
    private DotEnv() {}

    public static Map<String, String> overlay(Map<String, String> env) {
        String home = env.get("HOME");
        if (home == null || home.isBlank()) return env;
        Path file = Path.of(home, ".env");
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | SecurityException missing) {
            return env;
        }
        Map<String, String> merged = new HashMap<>(env);
        parse(text).forEach(merged::putIfAbsent);
        return merged;
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("export ")) line = line.substring(7).strip();
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            if (!key.isEmpty()) out.put(key, value);
        }
        return out;
    }
}
