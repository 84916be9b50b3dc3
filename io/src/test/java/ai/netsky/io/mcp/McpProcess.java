package ai.netsky.io.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * An io source as a real child process (its own JVM, stdio) driven by the official MCP Java SDK
 * client. The SDK client has no hook for custom notifications, so a thin transport wrapper records
 * every {@code notifications/claude/channel} on the way in.
 */
final class McpProcess implements AutoCloseable {
    record Push(String content, Map<String, Object> meta) {}

    final McpSyncClient client;
    private final LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
    private final List<Push> seen = new ArrayList<>();
    final StringBuffer stderr = new StringBuffer();

    McpProcess(String source, Map<String, String> env, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ServeMain.class.getName(), source));
        args.addAll(List.of(extraArgs));
        ServerParameters params = ServerParameters.builder(Path.of(System.getProperty("java.home"), "bin", "java").toString()).args(args).env(env).build();
        StdioClientTransport stdio = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        stdio.setStdErrorHandler(line -> stderr.append(line).append('\n'));
        client = McpClient.sync(new Recording(stdio)).requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
    }

    private final class Recording implements McpClientTransport {
        private final McpClientTransport inner;

        Recording(McpClientTransport inner) { this.inner = inner; }

        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return inner.connect(in -> handler.apply(in.doOnNext(m -> {
                if (m instanceof McpSchema.JSONRPCNotification n && "notifications/claude/channel".equals(n.method())) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> p = (Map<String, Object>) n.params();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> meta = (Map<String, Object>) p.get("meta");
                    pushes.add(new Push((String) p.get("content"), meta));
                }
            })));
        }

        @Override
        public void setExceptionHandler(java.util.function.Consumer<Throwable> h) { inner.setExceptionHandler(h); }

        @Override
        public Mono<Void> closeGracefully() { return inner.closeGracefully(); }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) { return inner.sendMessage(message); }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) { return inner.unmarshalFrom(data, typeRef); }

        @Override
        public List<String> protocolVersions() { return inner.protocolVersions(); }
    }

    /** The next channel push matching {@code p} within {@code timeout}; fails naming what it waited for. */
    Push awaitPush(String what, Duration timeout, Predicate<Push> p) throws InterruptedException {
        for (Push s : List.copyOf(seen)) {
            if (p.test(s)) {
                seen.remove(s);
                return s;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Push n = left > 0 ? pushes.poll(left, TimeUnit.NANOSECONDS) : null;
            if (n == null) throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; other pushes: " + seen + "; server stderr:\n" + stderr);
            if (p.test(n)) return n;
            seen.add(n);
        }
    }

    /** Pushes received so far that no await consumed (for "nothing else arrived" checks). */
    List<Push> drain() {
        pushes.drainTo(seen);
        return List.copyOf(seen);
    }

    /** Waits until the server's stderr shows {@code text} (e.g. that its watcher has taken the watermark). */
    void awaitStderr(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stderr.toString().contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for server stderr to show '" + text + "'; stderr:\n" + stderr);
            Thread.sleep(20);
        }
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Override
    public void close() {
        client.closeGracefully();
    }
}
