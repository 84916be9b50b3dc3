package ai.netsky.io.imessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TypedStreamTest {
    @Test
    void decodesShortLongAndUnicodeBodies() {
        assertEquals("hi", TypedStream.text(ChatDbFixture.attributedBody("hi")).orElseThrow());
        String unicode = "héllo 👋 — \"quoted\"";
        assertEquals(unicode, TypedStream.text(ChatDbFixture.attributedBody(unicode)).orElseThrow());
        // Past the old ~130-byte truncation and past one length byte (0x81 + i16 LE).
        String long1 = "x".repeat(300) + "end";
        assertEquals(long1, TypedStream.text(ChatDbFixture.attributedBody(long1)).orElseThrow());
        String long2 = "y".repeat(40_000);
        assertEquals(long2, TypedStream.text(ChatDbFixture.attributedBody(long2)).orElseThrow());
    }

    @Test
    void garbageGivesNothingRatherThanAnException() {
        assertTrue(TypedStream.text(null).isEmpty());
        assertTrue(TypedStream.text(new byte[0]).isEmpty());
        assertTrue(TypedStream.text("no class here".getBytes(StandardCharsets.US_ASCII)).isEmpty());
        byte[] truncated = ChatDbFixture.attributedBody("a message that gets cut");
        assertTrue(TypedStream.text(java.util.Arrays.copyOf(truncated, 80)).isEmpty(), "a length past the end is rejected");
    }

    @Test
    void appleEpochNanosecondsAndLegacySeconds() {
        Instant t = Instant.parse("2026-04-18T00:50:58.123456789Z");
        long ns = AppleTime.fromInstant(t);
        assertEquals(t, AppleTime.toInstant(ns));
        assertEquals(Instant.parse("2001-01-01T00:00:00Z"), AppleTime.toInstant(0));
        assertEquals(Instant.parse("2001-01-01T00:01:40Z"), AppleTime.toInstant(100), "pre-High-Sierra databases store seconds");
        assertEquals(ns / 1_000_000_000L + AppleTime.APPLE_EPOCH_UNIX_SECONDS, AppleTime.toInstant(ns).getEpochSecond());
    }
}
