package ai.netsky.channels;

import java.util.Map;

/**
 * One MCP tool a channel server offers: name, description for the model, JSON Schema of its
 * arguments, and the handler. A handler returns {@link Result#ok} or {@link Result#error}; an
 * exception it throws becomes an {@code isError} result {@code "<tool> failed: <message>"}.
 */
public record ChannelTool(String name, String description, Map<String, Object> inputSchema, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        Result call(Arguments args) throws Exception;
    }

    /** What a tool call returns to the model: one text block, flagged as an error or not. */
    public record Result(String text, boolean isError) {
        public static Result ok(String text) { return new Result(text, false); }
        public static Result error(String text) { return new Result(text, true); }
    }

    /** A tool's arguments with typed, validating accessors; a wrong type is a {@link BadArgument}. */
    public record Arguments(Map<String, Object> raw) {
        public Arguments {
            raw = raw == null ? Map.of() : raw;
        }

        /** A string argument, or null when absent or JSON null. */
        public String optString(String key) {
            Object v = raw.get(key);
            if (v == null) return null;
            if (v instanceof String s) return s;
            throw new BadArgument("argument '" + key + "' must be a string, got " + typeName(v));
        }

        public String string(String key) {
            String v = optString(key);
            if (v == null) throw new BadArgument("missing required argument '" + key + "'");
            return v;
        }

        private static String typeName(Object v) {
            return switch (v) {
                case Number n -> "a number";
                case Boolean b -> "a boolean";
                case Map<?, ?> m -> "an object";
                case java.util.List<?> l -> "an array";
                default -> v.getClass().getSimpleName();
            };
        }
    }

    /** A tool argument the model got wrong; its message is shown to the model as is. */
    public static final class BadArgument extends RuntimeException {
        public BadArgument(String message) {
            super(message);
        }
    }

    /** JSON Schema helper: {@code {type: object, properties: …, required: […]}}. */
    public static Map<String, Object> objectSchema(Map<String, Object> properties, String... required) {
        return Map.of("type", "object", "properties", properties, "required", java.util.List.of(required),
                "additionalProperties", false);
    }

    public static Map<String, Object> stringProperty(String description) {
        return Map.of("type", "string", "description", description);
    }
}
