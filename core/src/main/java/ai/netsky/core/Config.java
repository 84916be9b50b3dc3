package ai.netsky.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * {@code netsky.toml} in the netsky root, resolved with the precedence CLI flag > env var > file >
 * compiled default. A present but malformed file is an error naming file, line and key — never a
 * silent fallback to defaults.
 */
public final class Config {
    public static final String FILE_NAME = "netsky.toml";

    private final Path file;
    private final TomlParseResult toml; // null when the file is absent
    private final Map<String, String> env;

    private Config(Path file, TomlParseResult toml, Map<String, String> env) {
        this.file = file;
        this.toml = toml;
        this.env = env;
    }

    /** Loads from the netsky root of {@code env}; an absent file means defaults. */
    public static Config load(Map<String, String> env) {
        return load(NetskyPaths.netskyRoot(env).resolve(FILE_NAME), env);
    }

    public static Config load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException absent) {
            return new Config(file, null, env);
        } catch (IOException e) {
            throw new NetskyException("cannot read " + file + ": " + e.getMessage() + "; fix its permissions or remove it");
        }
        return parse(file, text, env);
    }

    /** The same checks as {@link #load(Path, Map)} on text not yet written (so {@code config set} can refuse a bad edit). */
    public static Config parse(Path file, String text, Map<String, String> env) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var err = toml.errors().get(0);
            throw new NetskyException(file + ":" + err.position().line() + ": malformed TOML: " + err.getMessage()
                    + "; fix the line (or run `netsky config path` to find the file)");
        }
        Config c = new Config(file, toml, env);
        c.checkSchema();
        return c;
    }

    public Path file() { return file; }
    public boolean present() { return toml != null; }

    private void checkSchema() {
        for (String top : toml.keySet()) {
            if (!ConfigKey.SECTIONS.contains(top)) {
                throw new NetskyException(file + ":" + line(top) + ": unknown section or key '" + top
                        + "'; known sections: " + String.join(", ", ConfigKey.SECTIONS));
            }
        }
        if (toml.contains("schema_version") && !toml.isLong("schema_version")) {
            throw typeError("schema_version", "an integer");
        }
        for (ConfigKey k : ConfigKey.ALL) {
            if (!toml.contains(k.key())) continue;
            boolean ok = switch (k.type()) {
                case STRING -> toml.isString(k.key());
                case INTEGER -> toml.isLong(k.key());
                case BOOLEAN -> toml.isBoolean(k.key());
            };
            if (!ok) throw typeError(k.key(), switch (k.type()) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case BOOLEAN -> "true or false";
            });
        }
    }

    private NetskyException typeError(String key, String expected) {
        return new NetskyException(file + ":" + line(key) + ": key '" + key + "' must be " + expected + "; fix the value");
    }

    private int line(String key) {
        TomlPosition pos = toml.inputPositionOf(key);
        return pos == null ? 0 : pos.line();
    }

    /** Where a resolved value came from, for {@code config list} and error messages. */
    public enum Source { FLAG, ENV, FILE, DEFAULT }

    public record Resolved(ConfigKey key, String value, Source source) {}

    public Resolved resolve(ConfigKey key, String flagValue) {
        if (flagValue != null) return new Resolved(key, flagValue, Source.FLAG);
        if (key.envVar() != null) {
            String v = env.get(key.envVar());
            if (v != null && !v.isBlank()) return new Resolved(key, v, Source.ENV);
        }
        if (toml != null && toml.contains(key.key())) return new Resolved(key, String.valueOf(toml.get(key.key())), Source.FILE);
        return new Resolved(key, key.defaultValue(), Source.DEFAULT);
    }

    public Optional<String> string(ConfigKey key) {
        return Optional.ofNullable(resolve(key, null).value());
    }

    public String string(ConfigKey key, String flagValue) {
        return resolve(key, flagValue).value();
    }

    public long integer(ConfigKey key, Long flagValue) {
        Resolved r = resolve(key, flagValue == null ? null : flagValue.toString());
        try {
            return Long.parseLong(r.value().strip());
        } catch (NumberFormatException e) {
            String where = switch (r.source()) {
                case ENV -> "environment variable " + key.envVar();
                case FLAG -> "the command-line flag";
                default -> file.toString();
            };
            throw new NetskyException(key.key() + " must be an integer, got '" + r.value() + "' from " + where + "; fix it");
        }
    }

    /** Raw access to any dotted key (e.g. {@code peers.*}, {@code channels.email.*}), for the modules that own them. */
    public Optional<Object> raw(String dottedKey) {
        return toml == null ? Optional.empty() : Optional.ofNullable(toml.get(dottedKey));
    }

    public Optional<TomlParseResult> document() {
        return Optional.ofNullable(toml);
    }
}
