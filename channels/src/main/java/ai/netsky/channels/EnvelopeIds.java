package ai.netsky.channels;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Envelope ids netsky assigns: {@code <sender>-<16 hex>}, so a recipient can answer with {@code in_reply_to}. */
public final class EnvelopeIds {
    private EnvelopeIds() {}

    public static String next(String sender) {
        byte[] r = new byte[8];
        ThreadLocalRandom.current().nextBytes(r);
        return sender + "-" + HexFormat.of().formatHex(r);
    }
}
