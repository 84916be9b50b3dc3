package ai.netsky.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Changes {@code netsky.toml} for {@code netsky config set|unset} and {@code onboard}: validates the
 * value against its {@link ConfigKey}, edits the text at line level ({@link TomlEdit}, so comments and
 * ordering stay), re-parses the whole result with {@link Config#parse} (the same checks every command
 * applies on load), and only then replaces the file atomically. A failed check writes nothing.
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    /** What happened: the previous file value (null when absent) and whether the file changed. */
    public record Change(Path file, ConfigKey key, String previous, String value, boolean changed) {}

    public static Change set(Path file, ConfigKey key, String rawValue, Map<String, String> env) {
        String value = key.check(rawValue);
        String text = read(file);
        Config before = Config.parse(file, text, env);
        String previous = before.raw(key.key()).map(String::valueOf).orElse(null);
        if (value.equals(previous)) return new Change(file, key, previous, value, false);
        String base = text.isEmpty() ? "schema_version = 1\n" : text;
        String edited = TomlEdit.set(base, key.key(), key.literal(value));
        Config after = Config.parse(file, edited, env);
        String now = after.raw(key.key()).map(String::valueOf).orElse(null);
        if (!value.equals(now)) {
            throw new NetskyException("editing " + file + " for " + key.key() + " did not produce the value (got " + now + "); nothing written — set it by hand");
        }
        write(file, edited);
        return new Change(file, key, previous, value, true);
    }

    public static Change unset(Path file, ConfigKey key, Map<String, String> env) {
        String text = read(file);
        Config before = Config.parse(file, text, env);
        String previous = before.raw(key.key()).map(String::valueOf).orElse(null);
        if (previous == null) return new Change(file, key, null, null, false);
        String edited = TomlEdit.unset(text, key.key());
        Config after = Config.parse(file, edited, env);
        if (after.raw(key.key()).isPresent()) {
            throw new NetskyException("removing " + key.key() + " from " + file + " did not take; nothing written — remove it by hand");
        }
        write(file, edited);
        return new Change(file, key, previous, null, true);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException absent) {
            return "";
        } catch (IOException e) {
            throw new NetskyException("cannot read " + file + ": " + e.getMessage() + "; fix its permissions");
        }
    }

    private static void write(Path file, String text) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new NetskyException("cannot create " + dir + ": " + e.getMessage() + "; create the netsky root (NETSKY_DIR) first");
        }
        AtomicFiles.replace(file, text);
    }
}
