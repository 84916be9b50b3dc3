package ai.netsky.io.imessage;

import java.time.Instant;

/** chat.db dates: nanoseconds since 2001-01-01 UTC (macOS ≥ 10.13); older databases stored seconds. */
public final class AppleTime {
    private AppleTime() {}

    public static final long APPLE_EPOCH_UNIX_SECONDS = 978_307_200L;

    public static Instant toInstant(long appleDate) {
        // Seconds since 2001 stay below 1e10 until the year 2318; nanoseconds exceed it after 10 s.
        if (Math.abs(appleDate) < 10_000_000_000L) return Instant.ofEpochSecond(APPLE_EPOCH_UNIX_SECONDS + appleDate);
        return Instant.ofEpochSecond(APPLE_EPOCH_UNIX_SECONDS + Math.floorDiv(appleDate, 1_000_000_000L), Math.floorMod(appleDate, 1_000_000_000L));
    }

    public static long fromInstant(Instant t) {
        return (t.getEpochSecond() - APPLE_EPOCH_UNIX_SECONDS) * 1_000_000_000L + t.getNano();
    }
}
