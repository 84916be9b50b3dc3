package ai.netsky.cli;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Timestamps;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON shape every {@code --json} output uses: {command, status, summary, generated_at, data}. */
public final class JsonReport {
    private JsonReport() {}

    public static String render(String command, String status, String summary, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("status", status);
        m.put("summary", summary);
        m.put("generated_at", Timestamps.utcSeconds(Instant.now()));
        m.put("data", data);
        return EnvelopeCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m);
    }
}
