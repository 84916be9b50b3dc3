package ai.netsky.cli;

import ai.netsky.core.NetskyException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --since} values: a duration back from now ({@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}) or an ISO-8601 instant. */
final class TimeWindow {
    private TimeWindow() {}

    private static final Pattern REL = Pattern.compile("(\\d+)([smhd])");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static Instant since(String spec, Instant now) {
        String s = spec.strip();
        Matcher m = REL.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new NetskyException("--since '" + spec + "' is neither a duration nor a timestamp; use e.g. 30m, 12h, 7d or 2026-04-20T10:00:00Z");
        }
    }

    /** The {@code ts_utc} column form, for comparisons in SQL. */
    static String column(Instant t) {
        return TS.format(t);
    }
}
