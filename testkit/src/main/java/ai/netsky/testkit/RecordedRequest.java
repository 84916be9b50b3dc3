package ai.netsky.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP request a scripted server received, kept for assertions (headers lower-cased). */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body as JSON; a missing or non-JSON body reads as an empty object. */
    public JsonNode json() {
        try {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * Names of the tools the client offered in this request ({@code tools[].name} for Anthropic and
     * OpenAI Responses alike): how a test sees that an agent CLI connected its MCP servers
     * ({@code mcp__agent__reply} for Claude Code, {@code mcp__agent__reply} or {@code agent__reply} for Codex).
     */
    public List<String> toolNames() {
        List<String> out = new ArrayList<>();
        JsonNode tools = json().path("tools");
        if (tools.isArray()) {
            for (JsonNode t : tools) {
                String n = t.path("name").asString("");
                if (n.isEmpty()) n = t.path("function").path("name").asString("");
                if (!n.isEmpty()) out.add(n);
            }
        }
        return out;
    }

    /** True when the request offers any tools: the agent's main loop, as opposed to side calls (titles, quota probes). */
    public boolean offersTools() {
        return !toolNames().isEmpty();
    }
}
