package ai.netsky.io.calendar;

import ai.netsky.core.Config;
import ai.netsky.core.NetskyException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * One calendar from {@code netsky.toml}:
 *
 * <pre>
 * [[channels.calendar.calendars]]
 * name = "personal"                       # the id tools use and the allowlist names
 * url = "https://dav.example.com/calendars/me/personal/"
 * type = "caldav"                         # or "ics": a read-only iCalendar feed (webcal subscription)
 * username = "me"                         # optional; Basic auth over HTTPS
 * password_env = "NETSKY_CALDAV_PASSWORD" # the secret stays in the environment / ~/.env
 * </pre>
 */
public record CalendarFeed(String name, URI url, Type type, String username, String passwordEnv) {
    public enum Type { CALDAV, ICS }

    public static final String KEY = "channels.calendar.calendars";

    public boolean writable() { return type == Type.CALDAV; }

    public String password(Map<String, String> env) {
        if (passwordEnv == null) return null;
        String p = env.get(passwordEnv);
        if (p == null || p.isEmpty()) {
            throw new NetskyException("calendar '" + name + "': environment variable " + passwordEnv + " (its password_env) is not set; export it, or put it in ~/.env");
        }
        return p;
    }

    public static List<CalendarFeed> fromConfig(Config config) {
        Optional<Object> raw = config.raw(KEY);
        if (raw.isEmpty()) return List.of();
        if (!(raw.get() instanceof TomlArray arr)) throw bad(config, "", "must be an array of tables ([[" + KEY + "]])");
        List<CalendarFeed> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String where = "[" + i + "]";
            if (!(arr.get(i) instanceof TomlTable t)) throw bad(config, where, "must be a table");
            String name = t.isString("name") ? t.getString("name") : null;
            if (name == null || name.isBlank() || name.chars().anyMatch(c -> c < 0x20 || c == '"' || c == '\\')) throw bad(config, where + ".name", "must be a plain, non-empty string");
            if (out.stream().anyMatch(c -> c.name.equals(name))) throw bad(config, where + ".name", "'" + name + "' is used twice");
            String url = t.isString("url") ? t.getString("url") : null;
            URI uri;
            try {
                uri = URI.create(url == null ? "" : url.replaceFirst("^webcals?://", "https://"));
            } catch (IllegalArgumentException e) {
                throw bad(config, where + ".url", "is not a URL");
            }
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) throw bad(config, where + ".url", "must be an http(s) or webcal URL");
            String typeName = t.isString("type") ? t.getString("type") : "caldav";
            Type type;
            try {
                type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(config, where + ".type", "must be \"caldav\" or \"ics\"");
            }
            out.add(new CalendarFeed(name, uri, type, t.isString("username") ? t.getString("username") : null,
                    t.isString("password_env") ? t.getString("password_env") : null));
        }
        return List.copyOf(out);
    }

    private static NetskyException bad(Config c, String where, String why) {
        return new NetskyException(c.file() + ": " + KEY + where + " " + why + "; fix netsky.toml (see docs/commands.md, io serve --source calendar)");
    }
}
