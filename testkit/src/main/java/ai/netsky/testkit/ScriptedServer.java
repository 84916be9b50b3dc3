package ai.netsky.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The loopback HTTP part shared by the scripted model servers: a JDK HttpServer on 127.0.0.1 (random
 * port), every request recorded, handlers on virtual threads, SSE and JSON responses.
 */
abstract class ScriptedServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    ScriptedServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port for the scripted server: " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits for a request matching {@code p}; fails naming {@code what} and listing what did arrive. */
    public RecordedRequest awaitRequest(String what, Duration timeout, Predicate<RecordedRequest> p) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RecordedRequest r : requests) if (p.test(r)) return r;
            if (System.nanoTime() > deadline) {
                List<String> seen = new ArrayList<>();
                for (RecordedRequest r : requests) seen.add(r.method() + " " + r.path());
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; requests seen: " + seen);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = ex.getRequestURI().getPath();
            RecordedRequest req = new RecordedRequest(ex.getRequestMethod(), path, headers, body);
            requests.add(req);
            try {
                handle(req, ex);
            } catch (RuntimeException bug) {
                json(ex, 500, "{\"error\":{\"message\":" + RecordedRequest.JSON.writeValueAsString("scripted server failed: " + bug) + "}}");
            }
        }
    }

    /** Answers one request (already recorded). */
    abstract void handle(RecordedRequest req, HttpExchange ex) throws IOException;

    static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Server-sent events, one {@code event:}/{@code data:} pair each, flushed as they go. */
    static void sse(HttpExchange ex, List<String[]> events) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String[] e : events) {
                out.write(("event: " + e[0] + "\ndata: " + e[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
