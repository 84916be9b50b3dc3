package ai.netsky.core;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Envelope JSON on the wire: all 11 keys in declaration order; unknown keys ignored on read. */
public final class EnvelopeCodec {
    private EnvelopeCodec() {}

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toJson(Envelope env) {
        return MAPPER.writeValueAsBytes(env);
    }

    public static String toJsonString(Envelope env) {
        return MAPPER.writeValueAsString(env);
    }

    /** Parses one envelope; a missing {@code from}, {@code text} or {@code ts} is malformed, as in serde. */
    public static Envelope parse(byte[] json) throws MalformedEnvelopeException {
        if (json.length > EnvelopeRules.MAX_ENVELOPE_BYTES) {
            throw new MalformedEnvelopeException("file is " + json.length + " bytes, over the " + EnvelopeRules.MAX_ENVELOPE_BYTES + "-byte cap");
        }
        Envelope env;
        try {
            env = MAPPER.readValue(json, Envelope.class);
        } catch (JacksonException e) {
            throw new MalformedEnvelopeException("not a valid envelope JSON: " + e.getOriginalMessage());
        }
        if (env == null) throw new MalformedEnvelopeException("empty JSON document");
        if (env.from() == null) throw new MalformedEnvelopeException("missing required field 'from'");
        if (env.text() == null) throw new MalformedEnvelopeException("missing required field 'text'");
        if (env.ts() == null) throw new MalformedEnvelopeException("missing required field 'ts'");
        return env;
    }

    public static final class MalformedEnvelopeException extends Exception {
        public MalformedEnvelopeException(String reason) {
            super(reason);
        }
    }
}
