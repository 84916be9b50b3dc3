package ai.netsky.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A scripted OpenAI Responses API on loopback, for driving the real Codex CLI in tests: in
 * {@code ~/.codex/config.toml} a {@code [model_providers.<name>]} with
 * {@code base_url = server.baseUrl() + "/v1"}, {@code wire_api = "responses"} (see {@link #codexConfigToml}).
 * Answers {@code POST /v1/responses} with SSE ({@code response.created},
 * {@code response.output_item.added}, {@code response.output_text.delta},
 * {@code response.output_item.done}, {@code response.completed} with usage), including
 * {@code function_call} items, and {@code GET /v1/models}.
 *
 * <p>Scripted turns answer main-loop requests (those offering tools); others get the default turn.
 */
public final class ScriptedOpenAiServer extends ScriptedServer {
    public sealed interface Item permits Message, FunctionCall {}

    public record Message(String text) implements Item {}

    /**
     * A {@code function_call} output item; {@code arguments} are serialised to the JSON string the API
     * carries. {@code namespace} (may be null) addresses a tool inside a {@code namespace} tool entry —
     * Codex 0.169 offers each MCP server's tools as one namespace ({@code mcp__agent} with {@code reply}, {@code send}).
     */
    public record FunctionCall(String callId, String name, Map<String, ?> arguments, String namespace) implements Item {}

    public record Turn(List<Item> items) {
        public static Turn text(String text) {
            return new Turn(List.of(new Message(text)));
        }

        public static Turn functionCall(String name, Map<String, ?> arguments) {
            return new Turn(List.of(new FunctionCall("call_" + IDS.incrementAndGet(), name, arguments, null)));
        }

        /** A call to {@code name} inside the namespace tool {@code namespace}. */
        public static Turn namespacedCall(String namespace, String name, Map<String, ?> arguments) {
            return new Turn(List.of(new FunctionCall("call_" + IDS.incrementAndGet(), name, arguments, namespace)));
        }

        public static Turn of(Item... items) {
            return new Turn(List.of(items));
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();
    private final ConcurrentLinkedQueue<Turn> script = new ConcurrentLinkedQueue<>();
    private volatile Turn defaultTurn = Turn.text("ok");
    private volatile Function<RecordedRequest, Turn> responder;

    private ScriptedOpenAiServer() {}

    public static ScriptedOpenAiServer start() {
        return new ScriptedOpenAiServer();
    }

    public ScriptedOpenAiServer enqueue(Turn... turns) {
        script.addAll(List.of(turns));
        return this;
    }

    public ScriptedOpenAiServer defaultTurn(Turn t) {
        defaultTurn = t;
        return this;
    }

    public ScriptedOpenAiServer respondWith(Function<RecordedRequest, Turn> f) {
        responder = f;
        return this;
    }

    public List<RecordedRequest> responseRequests() {
        return requests().stream().filter(r -> r.path().equals("/v1/responses")).toList();
    }

    /** The {@code function_call_output} items the client sent back in a request's input. */
    public static List<JsonNode> functionOutputs(RecordedRequest req) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : req.json().path("input")) if ("function_call_output".equals(i.path("type").asString(""))) out.add(i);
        return out;
    }

    /**
     * A {@code ~/.codex/config.toml} that points Codex at this server (provider {@code scripted}, key
     * from {@code envKey}), with {@code model}.
     */
    public String codexConfigToml(String model, String envKey) {
        return "model = \"" + model + "\"\n"
                + "model_provider = \"scripted\"\n\n"
                + "[model_providers.scripted]\n"
                + "name = \"scripted\"\n"
                + "base_url = \"" + baseUrl() + "/v1\"\n"
                + "wire_api = \"responses\"\n"
                + "env_key = \"" + envKey + "\"\n";
    }

    @Override
    void handle(RecordedRequest req, HttpExchange ex) throws IOException {
        String path = req.path();
        if (path.equals("/v1/models") && req.method().equals("GET")) {
            json(ex, 200, "{\"object\":\"list\",\"data\":[]}");
            return;
        }
        if (!path.equals("/v1/responses") || !req.method().equals("POST")) {
            json(ex, 404, "{\"error\":{\"type\":\"not_found\",\"message\":\"scripted server: no " + path + "\"}}");
            return;
        }
        Turn turn = null;
        Function<RecordedRequest, Turn> f = responder;
        if (f != null) turn = f.apply(req);
        if (turn == null && req.offersTools()) turn = script.poll();
        if (turn == null) turn = defaultTurn;
        String model = req.json().path("model").asString("gpt-scripted");
        String id = "resp_scripted_" + IDS.incrementAndGet();
        sse(ex, events(id, model, turn));
    }

    private static ObjectNode response(String id, String model, String status, ArrayNode output) {
        ObjectNode r = RecordedRequest.JSON.createObjectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", System.currentTimeMillis() / 1000);
        r.put("status", status);
        r.put("model", model);
        r.set("output", output);
        return r;
    }

    private static ObjectNode item(Item it, String id, boolean done) {
        var json = RecordedRequest.JSON;
        ObjectNode n = json.createObjectNode();
        switch (it) {
            case Message m -> {
                n.put("type", "message");
                n.put("id", id);
                n.put("role", "assistant");
                n.put("status", done ? "completed" : "in_progress");
                ArrayNode content = n.putArray("content");
                if (done) {
                    ObjectNode c = content.addObject();
                    c.put("type", "output_text");
                    c.put("text", m.text());
                    c.putArray("annotations");
                }
            }
            case FunctionCall fc -> {
                n.put("type", "function_call");
                n.put("id", id);
                n.put("call_id", fc.callId());
                n.put("name", fc.name());
                if (fc.namespace() != null) n.put("namespace", fc.namespace());
                n.put("arguments", done ? json.writeValueAsString(fc.arguments()) : "");
                n.put("status", done ? "completed" : "in_progress");
            }
        }
        return n;
    }

    private static List<String[]> events(String id, String model, Turn turn) {
        var json = RecordedRequest.JSON;
        List<String[]> ev = new ArrayList<>();
        ObjectNode created = json.createObjectNode();
        created.put("type", "response.created");
        created.set("response", response(id, model, "in_progress", json.createArrayNode()));
        ev.add(new String[] {"response.created", json.writeValueAsString(created)});
        ArrayNode output = json.createArrayNode();
        int i = 0;
        for (Item it : turn.items()) {
            String itemId = (it instanceof Message ? "msg_" : "fc_") + IDS.incrementAndGet();
            ObjectNode added = json.createObjectNode();
            added.put("type", "response.output_item.added");
            added.put("output_index", i);
            added.set("item", item(it, itemId, false));
            ev.add(new String[] {"response.output_item.added", json.writeValueAsString(added)});
            if (it instanceof Message m) {
                ObjectNode delta = json.createObjectNode();
                delta.put("type", "response.output_text.delta");
                delta.put("item_id", itemId);
                delta.put("output_index", i);
                delta.put("content_index", 0);
                delta.put("delta", m.text());
                ev.add(new String[] {"response.output_text.delta", json.writeValueAsString(delta)});
            }
            ObjectNode doneItem = item(it, itemId, true);
            ObjectNode done = json.createObjectNode();
            done.put("type", "response.output_item.done");
            done.put("output_index", i);
            done.set("item", doneItem);
            ev.add(new String[] {"response.output_item.done", json.writeValueAsString(done)});
            output.add(doneItem);
            i++;
        }
        ObjectNode completed = json.createObjectNode();
        completed.put("type", "response.completed");
        ObjectNode resp = response(id, model, "completed", output);
        ObjectNode usage = resp.putObject("usage");
        usage.put("input_tokens", 10);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", 5);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", 15);
        completed.set("response", resp);
        ev.add(new String[] {"response.completed", json.writeValueAsString(completed)});
        return ev;
    }
}
