package ai.netsky.store;

import java.util.Locale;

/**
 * Estimated USD cost of a Claude turn from its token counts, at Anthropic's list prices per million
 * tokens (input / output / cache write / cache read). Transcripts that carry {@code costUSD} use that
 * instead. Unknown Claude models are priced as Sonnet; non-Claude ("<synthetic>") turns cost 0.
 */
public final class Pricing {
    private Pricing() {}

    public record Rate(double input, double output, double cacheWrite, double cacheRead) {
        public double cost(long in, long out, long cacheWrite, long cacheRead) {
            return (in * input + out * output + cacheWrite * this.cacheWrite + cacheRead * this.cacheRead) / 1_000_000.0;
        }
    }

    static final Rate OPUS_4 = new Rate(15, 75, 18.75, 1.50);
    static final Rate OPUS_45 = new Rate(5, 25, 6.25, 0.50);
    static final Rate SONNET = new Rate(3, 15, 3.75, 0.30);
    static final Rate HAIKU_45 = new Rate(1, 5, 1.25, 0.10);
    static final Rate HAIKU_35 = new Rate(0.80, 4, 1, 0.08);
    static final Rate HAIKU_3 = new Rate(0.25, 1.25, 0.30, 0.03);
    static final Rate FREE = new Rate(0, 0, 0, 0);

    public static Rate rate(String model) {
        if (model == null) return SONNET;
        String m = model.toLowerCase(Locale.ROOT);
        if (!m.contains("claude") && !m.contains("opus") && !m.contains("sonnet") && !m.contains("haiku")) return FREE;
        if (m.contains("opus")) {
            return m.matches(".*opus-4-[5-9].*|.*opus-[5-9].*") ? OPUS_45 : OPUS_4;
        }
        if (m.contains("haiku")) {
            if (m.matches(".*haiku-4.*")) return HAIKU_45;
            if (m.contains("3-5")) return HAIKU_35;
            return HAIKU_3;
        }
        return SONNET;
    }
}
