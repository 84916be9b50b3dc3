package ai.netsky.io;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessStore;
import ai.netsky.io.calendar.CalDavClient;
import ai.netsky.io.calendar.CalendarFeed;
import ai.netsky.io.calendar.CalendarSource;
import ai.netsky.io.calendar.Calendars;
import ai.netsky.io.demo.DemoSource;
import ai.netsky.io.email.Email;
import ai.netsky.io.email.EmailAccount;
import ai.netsky.io.email.EmailSource;
import ai.netsky.io.imessage.ImessageSource;
import ai.netsky.io.mcp.IoSource;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Builds the owner I/O sources ({@code demo}, {@code imessage}, {@code email}, {@code calendar}) from env + netsky.toml. */
public final class IoSources {
    private IoSources() {}

    public static final List<String> NAMES = List.of("demo", "imessage", "email", "calendar");

    /** @param watch false turns off pushing (imessage watch, email watch, calendar reminders) */
    public static IoSource create(String name, Map<String, String> env, Config config, boolean watch) {
        return switch (name) {
            case "demo" -> new DemoSource(Duration.ofMillis(positive(env, "NETSKY_DEMO_INTERVAL_MS", 30_000)), (int) positive(env, "NETSKY_DEMO_SAMPLES", 3));
            case "imessage" -> ImessageSource.fromEnv(env, watch && bool(config.string(ConfigKey.IMESSAGE_WATCH, null)),
                    Duration.ofMillis(Math.max(100, config.integer(ConfigKey.IMESSAGE_WATCH_INTERVAL_MS, null))));
            case "email" -> {
                AccessStore access = AccessStore.forEnv(AccessSource.EMAIL, env);
                List<EmailAccount> accounts = EmailAccount.fromConfig(config);
                long s = watch ? config.integer(ConfigKey.EMAIL_WATCH_INTERVAL_S, null) : 0;
                yield new EmailSource(new Email(access, accounts, env), access, Duration.ofSeconds(Math.max(0, s)));
            }
            case "calendar" -> {
                AccessStore access = AccessStore.forEnv(AccessSource.CALENDAR, env);
                List<CalendarFeed> feeds = CalendarFeed.fromConfig(config);
                long s = watch ? config.integer(ConfigKey.CALENDAR_POLL_INTERVAL_S, null) : 0;
                Duration lead = Duration.ofMinutes(Math.max(0, config.integer(ConfigKey.CALENDAR_REMINDER_MINUTES, null)));
                ZoneId zone = env.containsKey("TZ") && !env.get("TZ").isBlank() ? zoneOr(env.get("TZ")) : ZoneId.systemDefault();
                yield new CalendarSource(new Calendars(access, feeds, new CalDavClient(env), zone, lead), feeds, access,
                        Duration.ofSeconds(Math.max(0, s)), Clock.systemUTC());
            }
            default -> throw new NetskyException("unknown io source '" + name + "'; choose one of agent, peer, " + String.join(", ", NAMES));
        };
    }

    private static ZoneId zoneOr(String tz) {
        try {
            return ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
        } catch (RuntimeException e) {
            return ZoneId.systemDefault();
        }
    }

    static boolean bool(String v) {
        if (v == null) return true;
        String s = v.strip().toLowerCase(java.util.Locale.ROOT);
        return !(s.equals("0") || s.equals("false") || s.equals("no") || s.equals("off"));
    }

    private static long positive(Map<String, String> env, String key, long dflt) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Math.max(0, Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw new NetskyException(key + "='" + v + "' is not a number; set it to milliseconds (or unset it)");
        }
    }
}
