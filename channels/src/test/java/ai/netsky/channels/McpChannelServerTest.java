package ai.netsky.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class McpChannelServerTest {
    private static final Duration T = Duration.ofSeconds(10);
    private McpChannelServer server;
    private RawClient client;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        Pipe toServer = Pipe.open();
        Pipe fromServer = Pipe.open();
        ChannelTool echo = new ChannelTool("echo", "Echoes text.",
                ChannelTool.objectSchema(Map.of("text", ChannelTool.stringProperty("what to echo")), "text"),
                args -> {
                    String text = args.string("text");
                    if (text.isBlank()) return ChannelTool.Result.error("echo failed: text is empty");
                    return ChannelTool.Result.ok("echo:" + text);
                });
        server = McpChannelServer.start(new McpChannelServer.Spec("demo", "0.1.7", "Say hi.", List.of(echo)),
                Channels.newInputStream(toServer.source()), Channels.newOutputStream(fromServer.sink()),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        client = new RawClient(Channels.newOutputStream(toServer.sink()), Channels.newInputStream(fromServer.source()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void discoverProbeThenHandshakeDeclaresTheChannelCapability() throws Exception {
        client.send("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"server/discover\",\"params\":{}}");
        JsonNode discover = client.response(0, T);
        assertEquals(-32601, discover.path("error").path("code").asInt(), discover.toString());

        client.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
        JsonNode init = client.response(1, T).path("result");
        assertEquals("2025-11-25", init.path("protocolVersion").asString(), init.toString());
        assertTrue(init.path("capabilities").path("experimental").path("claude/channel").isObject(), init.toString());
        assertTrue(init.path("capabilities").has("tools"), init.toString());
        assertEquals("Say hi.", init.path("instructions").asString());
        assertEquals("demo", init.path("serverInfo").path("name").asString());
        assertFalse(server.isInitialized());
        client.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertTrue(server.awaitInitialized(T));

        client.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        JsonNode tools = client.response(2, T).path("result").path("tools");
        assertEquals("echo", tools.get(0).path("name").asString(), tools.toString());

        client.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"hi\"}}}");
        JsonNode call = client.response(3, T).path("result");
        assertEquals("echo:hi", call.path("content").get(0).path("text").asString(), call.toString());
        assertFalse(call.path("isError").asBoolean(), call.toString());

        client.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\" \"}}}");
        assertTrue(client.response(4, T).path("result").path("isError").asBoolean());

        server.push("hello <world>", Map.of("from", "agent0", "chat_id", "agent0", "ts", "2026-01-01T00:00:00Z"));
        JsonNode push = client.notification(McpChannelServer.CHANNEL_NOTIFICATION, T);
        assertEquals("hello <world>", push.path("params").path("content").asString());
        assertEquals("agent0", push.path("params").path("meta").path("chat_id").asString());
    }

    @Test
    void malformedLinesGetJsonRpcErrorsAndTheServerStaysUp() throws Exception {
        client.handshake();
        client.send("{not json");
        assertEquals(-32700, client.response("null", T).path("error").path("code").asInt());
        client.send("[{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}]");
        assertEquals(-32600, client.response("null", T).path("error").path("code").asInt());
        client.send("{\"jsonrpc\":\"1.0\",\"id\":10,\"method\":\"ping\"}");
        assertEquals(-32600, client.response(10, T).path("error").path("code").asInt());
        client.send("{\"jsonrpc\":\"2.0\",\"id\":11}");
        assertEquals(-32600, client.response(11, T).path("error").path("code").asInt());
        client.send("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":[1,2]}");
        assertEquals(-32600, client.response(12, T).path("error").path("code").asInt());
        client.send("42");
        assertEquals(-32600, client.response("null", T).path("error").path("code").asInt());
        client.sendRaw(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(-32700, client.response("null", T).path("error").path("code").asInt());
        byte[] huge = new byte[McpChannelServer.MAX_LINE_BYTES + 100];
        java.util.Arrays.fill(huge, (byte) 'x');
        huge[huge.length - 1] = '\n';
        client.sendRaw(huge);
        assertEquals(-32600, client.response("null", T).path("error").path("code").asInt());
        client.send("{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"no/such/method\"}");
        assertEquals(-32601, client.response(13, T).path("error").path("code").asInt());
        client.send("{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\",\"arguments\":{}}}");
        JsonNode unknownTool = client.response(14, T);
        assertTrue(unknownTool.has("error") || unknownTool.path("result").path("isError").asBoolean(), unknownTool.toString());
        client.send("{\"jsonrpc\":\"2.0\",\"id\":15,\"method\":\"ping\"}");
        assertTrue(client.response(15, T).has("result"), "server answers after all the bad input");
        assertTrue(server.isOpen());
    }
}
