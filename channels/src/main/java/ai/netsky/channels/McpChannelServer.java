package ai.netsky.channels;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A reusable stdio MCP server for a netsky channel source, on the official MCP Java SDK. It declares
 * {@code capabilities.experimental["claude/channel"] = {}} (without it Claude Code silently drops
 * pushes), gives the model {@code instructions}, serves the registered {@link ChannelTool}s, and
 * {@link #push pushes} {@code notifications/claude/channel {content, meta}}. Unknown methods (including
 * Claude Code's {@code server/discover} probe) get JSON-RPC -32601 from the SDK; malformed lines get
 * -32700/-32600 from the {@link StdioGuard} and the server stays up.
 *
 * <pre>{@code
 * var server = McpChannelServer.start(new McpChannelServer.Spec("agent", "0.1.7", "…instructions…", tools),
 *         System.in, System.out, System.err);
 * server.awaitInitialized(Duration.ofSeconds(30));
 * server.push("hello", Map.of("from", "agent0", "chat_id", "agent0", "ts", ts));
 * server.awaitClose();   // until the client closes stdin
 * }</pre>
 */
public final class McpChannelServer implements AutoCloseable {
    public static final String CHANNEL_CAPABILITY = "claude/channel";
    public static final String CHANNEL_NOTIFICATION = "notifications/claude/channel";
    /** Longest accepted client line; far above the 256 KiB text cap plus JSON escaping. */
    public static final int MAX_LINE_BYTES = 4 * 1024 * 1024;
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What a source declares: server name (the {@code mcp__<name>__*} prefix), version, model instructions, tools. */
    public record Spec(String name, String version, String instructions, List<ChannelTool> tools) {
        public Spec {
            tools = List.copyOf(tools);
        }
    }

    private final LineOutput out;
    private final McpJsonMapper mapper;
    private final McpSyncServer sdk;
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final List<Runnable> initListeners = new ArrayList<>();
    private final PrintStream log;

    private McpChannelServer(Spec spec, InputStream in, OutputStream stdout, PrintStream log) {
        this.log = log;
        this.out = new LineOutput(stdout);
        this.mapper = McpJsonDefaults.getMapper();
        QueueInputStream sdkIn = new QueueInputStream();
        var transport = new StdioServerTransportProvider(mapper, sdkIn, out, MAX_LINE_BYTES + 1);
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        for (ChannelTool t : spec.tools()) tools.add(toSdk(t));
        this.sdk = McpServer.sync(transport)
                .serverInfo(spec.name(), spec.version())
                .instructions(spec.instructions())
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .experimental(Map.of(CHANNEL_CAPABILITY, Map.of()))
                        .build())
                .tools(tools)
                .build();
        StdioGuard guard = new StdioGuard(in, sdkIn, out, mapper, MAX_LINE_BYTES, this::onClientNotification, log);
        Thread reader = Thread.ofPlatform().name("mcp-stdin-" + spec.name()).daemon().unstarted(() -> {
            try {
                guard.run();
            } finally {
                closed.countDown();
            }
        });
        reader.start();
    }

    /** Starts serving on the given streams (normally System.in/System.out; logs go to {@code log}, never stdout). */
    public static McpChannelServer start(Spec spec, InputStream in, OutputStream out, PrintStream log) {
        return new McpChannelServer(spec, in, out, log);
    }

    private McpServerFeatures.SyncToolSpecification toSdk(ChannelTool t) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(t.name()).description(t.description()).inputSchema(t.inputSchema()).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            ChannelTool.Result r;
            try {
                r = t.handler().call(new ChannelTool.Arguments(request.arguments()));
            } catch (ChannelTool.BadArgument bad) {
                r = ChannelTool.Result.error(t.name() + " failed: " + bad.getMessage());
            } catch (Exception e) {
                r = ChannelTool.Result.error(t.name() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            return McpSchema.CallToolResult.builder().addTextContent(r.text()).isError(r.isError()).build();
        }).build();
    }

    private void onClientNotification(String method) {
        if ("notifications/initialized".equals(method) && initialized.getCount() > 0) {
            initialized.countDown();
            List<Runnable> listeners;
            synchronized (initListeners) {
                listeners = List.copyOf(initListeners);
            }
            listeners.forEach(Runnable::run);
        }
    }

    /** Runs {@code listener} once the client has completed the handshake (at once if it already has). */
    public void onInitialized(Runnable listener) {
        synchronized (initListeners) {
            if (initialized.getCount() > 0) {
                initListeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    public boolean isInitialized() {
        return initialized.getCount() == 0;
    }

    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True while the client is connected (stdin open and stdout writable). */
    public boolean isOpen() {
        return closed.getCount() > 0 && !out.broken();
    }

    /**
     * Pushes one {@code notifications/claude/channel} and returns once it is written and flushed to the
     * client. Meta keys must be plain identifiers (Claude Code turns them into tag attributes).
     * Throws {@link UncheckedIOException} when the client is gone.
     *
     * <p>Written on the shared line-atomic stdout rather than through the SDK's {@code notifyClients},
     * because that completes when the message is queued, not when it is written, and a channel source
     * must not mark an envelope delivered before it really left the process.
     */
    public void push(String content, Map<String, String> meta) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("content", content);
        Map<String, String> m = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (!META_KEY.matcher(k).matches()) throw new IllegalArgumentException("meta key '" + k + "' is not a plain identifier");
            if (v != null) m.put(k, v);
        });
        params.put("meta", m);
        byte[] line;
        try {
            line = mapper.writeValueAsBytes(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, CHANNEL_NOTIFICATION, params));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeLine(line);
    }

    /** Blocks until the client closes stdin (or the server is closed). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    public boolean awaitClose(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        try {
            sdk.closeGracefully();
        } catch (RuntimeException e) {
            log.println("[netsky io] MCP server did not close cleanly: " + e.getMessage());
        }
        closed.countDown();
    }
}
