package ai.netsky.io.imessage;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Extracts the plain text of an {@code attributedBody} (an NSAttributedString archived as an Apple
 * typedstream). Newer macOS versions leave {@code message.text} NULL and keep the text only here.
 * The string follows the {@code NSString} class name as a {@code '+'} (0x2B) tag and a length: one
 * byte, or 0x81 + i16 LE, 0x82 + i32 LE, 0x83 + i64 LE. Reading the real length (rather than a
 * fixed window) is what keeps long messages whole.
 */
public final class TypedStream {
    private TypedStream() {}

    private static final byte[] NSSTRING = "NSString".getBytes(StandardCharsets.US_ASCII);

    public static Optional<String> text(byte[] blob) {
        if (blob == null || blob.length == 0) return Optional.empty();
        int at = indexOf(blob, NSSTRING, 0);
        if (at < 0) return Optional.empty();
        int i = at + NSSTRING.length;
        while (i < blob.length && blob[i] != 0x2B) i++;
        i++;
        if (i >= blob.length) return Optional.empty();
        int tag = blob[i] & 0xff;
        long len;
        i++;
        switch (tag) {
            case 0x81 -> { len = le(blob, i, 2); i += 2; }
            case 0x82 -> { len = le(blob, i, 4); i += 4; }
            case 0x83 -> { len = le(blob, i, 8); i += 8; }
            default -> len = tag < 0x80 ? tag : -1;
        }
        if (len < 0 || i > blob.length || len > blob.length - i) return Optional.empty();
        return Optional.of(new String(blob, i, (int) len, StandardCharsets.UTF_8));
    }

    private static long le(byte[] b, int off, int n) {
        if (off + n > b.length) return -1;
        long v = 0;
        for (int k = n - 1; k >= 0; k--) v = (v << 8) | (b[off + k] & 0xff);
        if (n == 2) v = (short) v;
        else if (n == 4) v = (int) v;
        return v;
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
