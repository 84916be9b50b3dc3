package ai.netsky.bench;

import java.util.Arrays;

/** Percentiles over a sample of durations in nanoseconds, printed in milliseconds. */
public record Stats(long[] sortedNanos) {
    public static Stats of(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Stats(s);
    }

    public double pctMs(double p) {
        int i = (int) Math.min(sortedNanos.length - 1, Math.max(0, Math.ceil(p / 100.0 * sortedNanos.length) - 1));
        return sortedNanos[i] / 1e6;
    }

    public double medianMs() { return pctMs(50); }

    @Override
    public String toString() {
        return String.format("n=%d min=%.2fms p50=%.2fms p99=%.2fms max=%.2fms", sortedNanos.length, pctMs(0), pctMs(50), pctMs(99), pctMs(100));
    }
}
