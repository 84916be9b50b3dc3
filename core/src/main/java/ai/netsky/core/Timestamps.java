package ai.netsky.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Time formats netsky writes: RFC 3339 with microseconds and {@code +00:00}, like chrono's to_rfc3339. */
public final class Timestamps {
    private Timestamps() {}

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    public static String rfc3339Now() {
        return RFC3339.format(Instant.now());
    }

    public static String rfc3339(Instant t) {
        return RFC3339.format(t);
    }

    /** {@code %Y-%m-%dT%H:%M:%SZ}, the {@code generated_at} form of the JSON report envelope. */
    public static String utcSeconds(Instant t) {
        return UTC_SECONDS.format(t);
    }

    /** Wall-clock nanoseconds since the epoch (for filenames and request ids). */
    public static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
