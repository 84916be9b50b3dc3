package ai.netsky.core;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    static final Pattern FILENAME = Pattern.compile("\\d{20}-\\d{10}-[0-9a-f]{8}-\\d{10}-from-(agent[a-z0-9]+)\\.json");

    @Test
    void wireFormatHasAll11KeysInDeclarationOrderWithNulls() {
        Envelope env = Envelope.of("agent0", "<brief>", "2026-04-20T10:00:00.000000+00:00");
        assertEquals("{\"id\":null,\"from\":\"agent0\",\"to\":null,\"kind\":null,\"in_reply_to\":null,\"thread\":null,"
                + "\"swarm\":null,\"idempotency_key\":null,\"requires_ack\":null,\"text\":\"<brief>\",\"ts\":\"2026-04-20T10:00:00.000000+00:00\"}",
                EnvelopeCodec.toJsonString(env));
    }

    @Test
    void oldThreeFieldShapeStillReadsAndUnknownKeysAreIgnored() throws Exception {
        Envelope old = EnvelopeCodec.parse("{\"from\":\"agent3\",\"text\":\"hi\",\"ts\":\"t\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("agent3", old.from());
        assertNull(old.id());
        Envelope extra = EnvelopeCodec.parse("{\"from\":\"agent3\",\"text\":\"hi\",\"ts\":\"t\",\"future\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", extra.text());
    }

    @Test
    void missingRequiredFieldsAreMalformedWithAReason() {
        var e = assertThrows(EnvelopeCodec.MalformedEnvelopeException.class,
                () -> EnvelopeCodec.parse("{\"from\":\"agent3\",\"ts\":\"t\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("'text'"));
        assertThrows(EnvelopeCodec.MalformedEnvelopeException.class, () -> EnvelopeCodec.parse("{not json".getBytes(StandardCharsets.UTF_8)));
        assertThrows(EnvelopeCodec.MalformedEnvelopeException.class, () -> EnvelopeCodec.parse("[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(EnvelopeCodec.MalformedEnvelopeException.class, () -> EnvelopeCodec.parse("{\"from\":\"a\",\"text\":\"x\",\"ts\":\"t\"} trailing".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void validationRejectsBadIdsEmptyTextOversizeAndWrapperTokens() {
        assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> EnvelopeRules.validate(Envelope.of("Agent0", "x", "t")));
        assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> EnvelopeRules.validate(Envelope.of("agent0", "x", "t").withTo("../agent1")));
        assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> EnvelopeRules.validate(Envelope.of("agent0", "  ", "t")));
        assertThrows(EnvelopeRules.InvalidEnvelopeException.class,
                () -> EnvelopeRules.validate(Envelope.of("agent0", "a".repeat(EnvelopeRules.MAX_TEXT_BYTES + 1), "t")));
        assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> EnvelopeRules.validate(Envelope.of("agent0", "x</channel>y", "t")));
        assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> EnvelopeRules.validate(Envelope.of("agent0", "<CHANNEL SOURCE=\"x\">", "t")));
        EnvelopeRules.validate(Envelope.of("agent0", "a".repeat(EnvelopeRules.MAX_TEXT_BYTES), "t"));
        EnvelopeRules.validate(Envelope.of("agent0@laptop", "remote", "t").withTo("agent3"));
    }

    @Test
    void xmlEscapeNeutralisesMarkup() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", EnvelopeRules.xmlEscapeBody("a <b> & \"c\""));
        String block = Inbox.renderChannelBlock("agent", Envelope.of("agent1", "x < y", "t"));
        assertEquals("<channel source=\"agent\" from=\"agent1\" chat_id=\"agent1\" ts=\"t\">x &lt; y</channel>", block);
    }

    @Test
    void replyCarriesThreadSwarmAndInReplyTo() {
        Envelope in = Envelope.of("agent0", "ping", "t").withId("m1").withThread("th").withSwarm("sw");
        Envelope out = in.replyFrom("agent2", "pong");
        assertEquals("agent0", out.to());
        assertEquals("m1", out.inReplyTo());
        assertEquals("th", out.thread());
        assertEquals("sw", out.swarm());
        assertEquals("reply", out.kind());
    }

    @Provide
    Arbitrary<String> agentIds() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 99999).map(n -> "agent" + n),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(s -> "agent" + s));
    }

    @Property
    void filenamesFollowTheContractAndSortByTime(@ForAll("agentIds") String from) {
        String a = EnvelopeWriter.buildFilename(from);
        String b = EnvelopeWriter.buildFilename(from);
        var m = FILENAME.matcher(a);
        assertTrue(m.matches(), a);
        assertEquals(from, m.group(1));
        assertTrue(a.compareTo(b) < 0 || a.substring(0, 20).equals(b.substring(0, 20)), "later names sort later: " + a + " " + b);
        assertNotEquals(a, b);
    }

    @Property(tries = 300)
    void anyValidEnvelopeRoundTripsThroughJson(@ForAll("agentIds") String from, @ForAll @StringLength(min = 1, max = 300) String text,
                                               @ForAll String id, @ForAll boolean ack) throws Exception {
        Envelope env = Envelope.of(from, text, Timestamps.rfc3339Now()).withId(id).withRequiresAck(ack).withThread(id.isEmpty() ? null : id);
        Envelope back = EnvelopeCodec.parse(EnvelopeCodec.toJson(env));
        assertEquals(env, back);
    }
}
