package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/netsky io serve --source demo|imessage} as the agent CLIs start it (from a built
 * netsky, over stdio), driven by the MCP Java SDK client; plus {@code io access} editing the
 * allowlist of a running server.
 */
class IoServeIT {
    static McpSyncClient client(NetskyHarness h, String source) {
        Map<String, String> env = new HashMap<>(h.env());
        env.put("NETSKY_IO_CHAT_DB", h.base.resolve("no-chat.db").toString());
        ServerParameters p = ServerParameters.builder(NetskyHarness.netskyBin().toString()).args("io", "serve", "--source", source).env(env).build();
        McpSyncClient c = McpClient.sync(new StdioClientTransport(p, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(120)).build();
        c.initialize();
        return c;
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void demoAndImessageServeFromTheBuiltCommand() throws Exception {
        try (NetskyHarness h = new NetskyHarness()) {
            McpSyncClient demo = client(h, "demo");
            try {
                assertTrue(demo.getServerCapabilities().experimental().containsKey("claude/channel"));
                var r = demo.callTool(new McpSchema.CallToolRequest("reply", Map.of("text", "ping")));
                assertTrue(text(r).contains("\"echo\":\"echo: ping\""), text(r));
            } finally {
                demo.closeGracefully();
            }
            McpSyncClient im = client(h, "imessage");
            try {
                assertEquals(List.of("reply", "list_messages", "read_message"), im.listTools().tools().stream().map(McpSchema.Tool::name).toList());
                var closed = im.callTool(new McpSchema.CallToolRequest("list_messages", Map.of()));
                assertTrue(closed.isError() && text(closed).contains("fails closed"), text(closed));
                // The owner allows a handle from a terminal; the running server picks it up on the next call.
                var allow = h.exec(Duration.ofSeconds(60), "io", "access", "allow", "+15550001111");
                assertEquals(0, allow.exitCode(), allow.stderr());
                var open = im.callTool(new McpSchema.CallToolRequest("list_messages", Map.of()));
                assertTrue(open.isError() && text(open).contains("cannot open chat.db"), "past the allowlist, now at chat.db: " + text(open));
            } finally {
                im.closeGracefully();
            }
        }
    }
}
