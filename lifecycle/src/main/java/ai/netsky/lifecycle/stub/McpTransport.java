package ai.netsky.lifecycle.stub;

import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.McpConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stub's real path, as Claude Code's: start every server of the per-agent MCP config over stdio
 * (official MCP Java SDK client), initialize, list tools; hear {@code notifications/claude/channel}
 * pushes ({@code content} + {@code meta} from/chat_id/id/kind); answer through the {@code agent}
 * server's {@code reply} tool.
 */
public final class McpTransport implements StubTransport {
    private final Map<String, McpConfig.Server> servers;
    private final Consumer<String> log;
    private final Map<String, McpSyncClient> clients = new LinkedHashMap<>();
    private final LinkedBlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();

    public McpTransport(Map<String, McpConfig.Server> servers, Consumer<String> log) {
        this.servers = servers;
        this.log = log;
    }

    @Override
    public String name() {
        return "mcp";
    }

    @Override
    public void start() {
        if (!servers.containsKey(Names.MCP_SERVER_AGENT)) {
            throw new NetskyException("the MCP config has no '" + Names.MCP_SERVER_AGENT + "' server; respawn the agent so spawn rewrites it");
        }
        for (var e : servers.entrySet()) {
            String name = e.getKey();
            McpConfig.Server s = e.getValue();
            var params = ServerParameters.builder(s.command()).args(s.args()).env(s.env()).build();
            var stdio = new StdioClientTransport(params, McpJsonDefaults.getMapper());
            stdio.setStdErrorHandler(line -> log.accept("server " + name + ": " + line));
            var tapped = new ChannelTapTransport(stdio, n -> inbound.add(toInbound(n)));
            McpSyncClient client = McpClient.sync(tapped)
                    .clientInfo(new McpSchema.Implementation("netsky-stub-agent", Names.VERSION))
                    .requestTimeout(Duration.ofSeconds(30))
                    .initializationTimeout(Duration.ofSeconds(60))
                    .build();
            try {
                client.initialize();
                List<String> tools = new ArrayList<>();
                for (McpSchema.Tool t : client.listTools().tools()) tools.add(t.name());
                log.accept("connected to MCP server '" + name + "' (tools: " + String.join(", ", tools) + ")");
            } catch (RuntimeException failed) {
                client.close();
                throw new NetskyException("cannot connect to MCP server '" + name + "' (" + s.command() + " " + String.join(" ", s.args()) + "): "
                        + failed.getMessage(), failed);
            }
            clients.put(name, client);
        }
    }

    @SuppressWarnings("unchecked")
    static Inbound toInbound(McpSchema.JSONRPCNotification n) {
        Map<String, Object> params = n.params() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> meta = params.get("meta") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new Inbound(str(meta.get("id")), str(meta.getOrDefault("from", meta.get("chat_id"))), str(meta.get("kind")), str(params.get("content")));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    @Override
    public Optional<Inbound> next(Duration wait) {
        try {
            return Optional.ofNullable(inbound.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * {@code reply {chat_id, text, kind}}: the server answers the last envelope from chat_id, setting
     * {@code in_reply_to}; a shutdown ack goes out as {@code kind shutdown_ack} (the seed's first rule).
     */
    @Override
    public void reply(Inbound to, String kind, String text) {
        McpSyncClient agent = clients.get(Names.MCP_SERVER_AGENT);
        var result = agent.callTool(new McpSchema.CallToolRequest("reply", Map.of("chat_id", to.from(), "text", text, "kind", kind)));
        if (Boolean.TRUE.equals(result.isError())) {
            throw new NetskyException("reply tool failed: " + result.content());
        }
    }

    @Override
    public void close() {
        for (McpSyncClient c : clients.values()) {
            try {
                c.closeGracefully();
            } catch (RuntimeException ignored) {
                // Exiting anyway; the server sees stdin close.
            }
        }
    }
}
