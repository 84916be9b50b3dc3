package ai.netsky.channels;

import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sits between the real stdin and the SDK's stdio transport. The SDK (2.1.0) ends the whole session
 * on the first line it cannot parse or that is too long, so this guard reads lines itself (bounded),
 * answers anything that is not one well-formed JSON-RPC 2.0 message with the JSON-RPC error the
 * spec prescribes (-32700 parse error, -32600 invalid request), and forwards only good lines.
 * It also tells the server when the client has sent {@code notifications/initialized}.
 */
final class StdioGuard implements Runnable {
    /** JSON-RPC error codes (JSON-RPC 2.0 §5.1). */
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final InputStream in;
    private final QueueInputStream toSdk;
    private final LineOutput out;
    private final McpJsonMapper sdkMapper;
    private final int maxLineBytes;
    private final Consumer<String> onNotification;
    private final PrintStream log;

    StdioGuard(InputStream in, QueueInputStream toSdk, LineOutput out, McpJsonMapper sdkMapper, int maxLineBytes,
               Consumer<String> onNotification, PrintStream log) {
        this.in = in;
        this.toSdk = toSdk;
        this.out = out;
        this.sdkMapper = sdkMapper;
        this.maxLineBytes = maxLineBytes;
        this.onNotification = onNotification;
        this.log = log;
    }

    @Override
    public void run() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean oversize = false;
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') continue;
                    if (!oversize) line.write(buf, start, i - start);
                    if (oversize || line.size() > maxLineBytes) {
                        reject(null, INVALID_REQUEST, "message is over the " + maxLineBytes + "-byte line limit");
                    } else {
                        accept(line.toByteArray());
                    }
                    line.reset();
                    oversize = false;
                    start = i + 1;
                }
                if (!oversize) {
                    line.write(buf, start, n - start);
                    if (line.size() > maxLineBytes) {
                        oversize = true;
                        line.reset();
                    }
                }
            }
            if (!oversize && line.size() > 0 && line.size() <= maxLineBytes) accept(line.toByteArray());
        } catch (IOException e) {
            log.println("[netsky io] stdin closed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.println("[netsky io] stdout closed, stopping: " + e.getMessage());
        } finally {
            awaitAnswers();
            toSdk.finish();
        }
    }

    private int forwardedRequests;

    /** At EOF, give requests already handed to the SDK up to 5 s to be answered before the session closes. */
    private void awaitAnswers() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (out.sdkResponses() < forwardedRequests && !out.broken() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void accept(byte[] raw) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            reject(null, PARSE_ERROR, "Parse error: message is not valid UTF-8");
            return;
        }
        if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
        if (text.isBlank()) return;
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            reject(null, PARSE_ERROR, "Parse error: " + e.getOriginalMessage());
            return;
        }
        if (node == null || node.isMissingNode()) return;
        if (node.isArray()) {
            reject(null, INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not supported by MCP; send one message per line");
            return;
        }
        if (!node.isObject()) {
            reject(null, INVALID_REQUEST, "Invalid Request: a JSON-RPC message must be an object");
            return;
        }
        JsonNode id = node.get("id");
        Object idValue = id == null ? null : id.isString() ? id.asString() : id.isIntegralNumber() ? (Object) id.asLong() : null;
        if (id != null && !id.isNull() && idValue == null) {
            reject(null, INVALID_REQUEST, "Invalid Request: id must be a string or an integer");
            return;
        }
        JsonNode version = node.get("jsonrpc");
        if (version == null || !version.isString() || !"2.0".equals(version.asString())) {
            reject(idValue, INVALID_REQUEST, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
            return;
        }
        JsonNode method = node.get("method");
        boolean isResponse = node.has("result") || node.has("error");
        if (method == null && !isResponse) {
            reject(idValue, INVALID_REQUEST, "Invalid Request: no \"method\" (and not a response)");
            return;
        }
        if (method != null && (!method.isString() || method.asString().isEmpty())) {
            reject(idValue, INVALID_REQUEST, "Invalid Request: \"method\" must be a non-empty string");
            return;
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            // MCP uses named params only; positional arrays would crash the SDK's handlers.
            reject(idValue, INVALID_REQUEST, "Invalid Request: \"params\" must be an object");
            return;
        }
        try {
            io.modelcontextprotocol.spec.McpSchema.deserializeJsonRpcMessage(sdkMapper, text);
        } catch (IOException | RuntimeException e) {
            reject(idValue, INVALID_REQUEST, "Invalid Request: " + e.getMessage());
            return;
        }
        toSdk.offerLine((text + "\n").getBytes(StandardCharsets.UTF_8));
        if (method != null && id != null && !id.isNull()) forwardedRequests++;
        if (method != null && id == null) onNotification.accept(method.asString());
    }

    private void reject(Object id, int code, String message) {
        log.println("[netsky io] rejected a client message: " + message);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("jsonrpc", "2.0");
        reply.put("id", id);
        reply.put("error", error);
        out.writeLine(JSON.writeValueAsBytes(reply));
    }
}
