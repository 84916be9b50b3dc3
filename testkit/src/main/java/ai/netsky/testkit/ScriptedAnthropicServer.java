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
 * A scripted Anthropic Messages API on loopback, for driving the real Claude Code CLI in tests
 * ({@code ANTHROPIC_BASE_URL=server.baseUrl()}, any {@code ANTHROPIC_API_KEY}). Answers
 * {@code POST /v1/messages} (SSE when {@code stream} is true, JSON otherwise) with scripted turns —
 * text and {@code tool_use} blocks — and {@code POST /v1/messages/count_tokens}.
 *
 * <p>Scripted turns ({@link #enqueue}) answer only main-loop requests (those offering tools); side
 * calls Claude Code makes on its own (titles, quota probes) get {@link #defaultTurn}. A test that
 * needs full control sets a {@link #respondWith responder}.
 */
public final class ScriptedAnthropicServer extends ScriptedServer {
    /** One content block of an assistant turn. */
    public sealed interface Block permits Text, ToolUse {}

    public record Text(String text) implements Block {}

    /** A {@code tool_use} block; {@code input} is the tool's arguments. */
    public record ToolUse(String id, String name, Map<String, ?> input) implements Block {}

    /** One assistant message; {@code stop_reason} is {@code tool_use} when it holds a tool call. */
    public record Turn(List<Block> blocks) {
        public static Turn text(String text) {
            return new Turn(List.of(new Text(text)));
        }

        public static Turn toolUse(String name, Map<String, ?> input) {
            return new Turn(List.of(new ToolUse("toolu_" + IDS.incrementAndGet(), name, input)));
        }

        public static Turn of(Block... blocks) {
            return new Turn(List.of(blocks));
        }

        String stopReason() {
            return blocks.stream().anyMatch(b -> b instanceof ToolUse) ? "tool_use" : "end_turn";
        }
    }

    private static final AtomicInteger IDS = new AtomicInteger();
    private final ConcurrentLinkedQueue<Turn> script = new ConcurrentLinkedQueue<>();
    private volatile Turn defaultTurn = Turn.text("ok");
    private volatile Function<RecordedRequest, Turn> responder;

    private ScriptedAnthropicServer() {}

    public static ScriptedAnthropicServer start() {
        return new ScriptedAnthropicServer();
    }

    /** Appends turns answered, in order, to the next main-loop requests. */
    public ScriptedAnthropicServer enqueue(Turn... turns) {
        script.addAll(List.of(turns));
        return this;
    }

    /** The answer when the script is empty, and for side calls. */
    public ScriptedAnthropicServer defaultTurn(Turn t) {
        defaultTurn = t;
        return this;
    }

    /** Full control: the turn for each {@code /v1/messages} request (null falls back to the script). */
    public ScriptedAnthropicServer respondWith(Function<RecordedRequest, Turn> f) {
        responder = f;
        return this;
    }

    /** Requests to {@code /v1/messages} (not count_tokens). */
    public List<RecordedRequest> messageRequests() {
        return requests().stream().filter(r -> r.path().equals("/v1/messages")).toList();
    }

    /** The {@code tool_result} blocks the client sent back in a request's last user message. */
    public static List<JsonNode> toolResults(RecordedRequest req) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : req.json().path("messages")) {
            if (!"user".equals(m.path("role").asString(""))) continue;
            for (JsonNode c : m.path("content")) if ("tool_result".equals(c.path("type").asString(""))) out.add(c);
        }
        return out;
    }

    @Override
    void handle(RecordedRequest req, HttpExchange ex) throws IOException {
        String path = req.path();
        if (path.equals("/v1/messages/count_tokens")) {
            json(ex, 200, "{\"input_tokens\":" + Math.max(1, req.body().length() / 4) + "}");
            return;
        }
        if (!path.equals("/v1/messages") || !req.method().equals("POST")) {
            json(ex, 404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"scripted server: no " + path + "\"}}");
            return;
        }
        Turn turn = null;
        Function<RecordedRequest, Turn> f = responder;
        if (f != null) turn = f.apply(req);
        if (turn == null && req.offersTools()) turn = script.poll();
        if (turn == null) turn = defaultTurn;
        JsonNode body = req.json();
        String model = body.path("model").asString("claude-scripted");
        String id = "msg_scripted_" + IDS.incrementAndGet();
        if (body.path("stream").asBoolean(false)) {
            sse(ex, events(id, model, turn));
        } else {
            json(ex, 200, RecordedRequest.JSON.writeValueAsString(message(id, model, turn)));
        }
    }

    private static ObjectNode usage(int in, int out) {
        ObjectNode u = RecordedRequest.JSON.createObjectNode();
        u.put("input_tokens", in);
        u.put("output_tokens", out);
        u.put("cache_creation_input_tokens", 0);
        u.put("cache_read_input_tokens", 0);
        return u;
    }

    private static ObjectNode block(Block b) {
        ObjectNode n = RecordedRequest.JSON.createObjectNode();
        switch (b) {
            case Text t -> {
                n.put("type", "text");
                n.put("text", t.text());
            }
            case ToolUse u -> {
                n.put("type", "tool_use");
                n.put("id", u.id());
                n.put("name", u.name());
                n.set("input", RecordedRequest.JSON.valueToTree(u.input()));
            }
        }
        return n;
    }

    private static ObjectNode message(String id, String model, Turn turn) {
        ObjectNode m = RecordedRequest.JSON.createObjectNode();
        m.put("id", id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        ArrayNode content = m.putArray("content");
        turn.blocks().forEach(b -> content.add(block(b)));
        m.put("stop_reason", turn.stopReason());
        m.putNull("stop_sequence");
        m.set("usage", usage(10, 5));
        return m;
    }

    private static List<String[]> events(String id, String model, Turn turn) {
        var json = RecordedRequest.JSON;
        List<String[]> ev = new ArrayList<>();
        ObjectNode start = message(id, model, new Turn(List.of()));
        start.putNull("stop_reason");
        start.set("usage", usage(10, 1));
        ObjectNode ms = json.createObjectNode();
        ms.put("type", "message_start");
        ms.set("message", start);
        ev.add(new String[] {"message_start", json.writeValueAsString(ms)});
        int i = 0;
        for (Block b : turn.blocks()) {
            ObjectNode cbs = json.createObjectNode();
            cbs.put("type", "content_block_start");
            cbs.put("index", i);
            ObjectNode delta = json.createObjectNode();
            switch (b) {
                case Text t -> {
                    ObjectNode empty = json.createObjectNode();
                    empty.put("type", "text");
                    empty.put("text", "");
                    cbs.set("content_block", empty);
                    delta.put("type", "text_delta");
                    delta.put("text", t.text());
                }
                case ToolUse u -> {
                    ObjectNode tb = json.createObjectNode();
                    tb.put("type", "tool_use");
                    tb.put("id", u.id());
                    tb.put("name", u.name());
                    tb.putObject("input");
                    cbs.set("content_block", tb);
                    delta.put("type", "input_json_delta");
                    delta.put("partial_json", json.writeValueAsString(u.input()));
                }
            }
            ev.add(new String[] {"content_block_start", json.writeValueAsString(cbs)});
            ObjectNode cbd = json.createObjectNode();
            cbd.put("type", "content_block_delta");
            cbd.put("index", i);
            cbd.set("delta", delta);
            ev.add(new String[] {"content_block_delta", json.writeValueAsString(cbd)});
            ev.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + i + "}"});
            i++;
        }
        ev.add(new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + turn.stopReason()
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}"});
        ev.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        return ev;
    }
}
