package ai.netsky.channels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A line-level JSON-RPC peer for tests: writes raw lines, reads parsed lines with deadlines. */
final class RawClient {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private final OutputStream toServer;
    private final LinkedBlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final List<JsonNode> skipped = new ArrayList<>();
    /** Lines that were not JSON, e.g. the last line torn by a SIGKILL mid-write; kept so tests can bound them. */
    private final List<String> unparsable = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Queued after the last line once the server's stdout reached EOF (compared by identity). */
    private static final JsonNode EOF = JSON.createObjectNode();
    private volatile IOException readError;

    RawClient(OutputStream toServer, InputStream fromServer) {
        this.toServer = toServer;
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (RuntimeException notJson) {
                        unparsable.add(line); // keep reading: one bad line must not hide the ones after it
                    }
                }
            } catch (IOException e) {
                readError = e; // not an EOF: drainToEof reports it rather than pass off a cut-short stream as complete
            } finally {
                lines.add(EOF);
            }
        });
    }

    /** The next queued line, or null at the deadline; EOF stays queued so every later reader sees it too. */
    private JsonNode poll(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        JsonNode n = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : lines.poll();
        if (n == EOF) lines.add(EOF);
        return n;
    }

    /** Lines read so far that were not JSON. */
    List<String> unparsable() {
        return List.copyOf(unparsable);
    }

    void send(String rawLine) throws IOException {
        toServer.write((rawLine + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        toServer.write(bytes);
        toServer.flush();
    }

    /** The next line matching {@code p} within {@code timeout}; lines that do not match are kept aside. */
    JsonNode await(Predicate<JsonNode> p, Duration timeout, String what) throws InterruptedException {
        for (JsonNode n : List.copyOf(skipped)) {
            if (p.test(n)) {
                skipped.remove(n);
                return n;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode n = poll(deadline);
            if (n == null) throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; other lines: " + skipped);
            if (n == EOF) throw new AssertionError("the server's stdout ended while waiting for " + what + "; other lines: " + skipped);
            if (p.test(n)) return n;
            skipped.add(n);
        }
    }

    JsonNode response(Object id, Duration timeout) throws InterruptedException {
        return await(n -> n.has("id") && !n.has("method") && String.valueOf(id).equals(n.get("id").isNull() ? "null" : n.get("id").asString()),
                timeout, "the response to id " + id);
    }

    JsonNode notification(String method, Duration timeout) throws InterruptedException {
        return await(n -> method.equals(n.path("method").asString(null)), timeout, "a " + method + " notification");
    }

    /** Collects {@code n} notifications of {@code method} (other lines are kept aside), failing after {@code timeout}. */
    List<JsonNode> notifications(String method, int n, Duration timeout) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < n) {
            JsonNode line = poll(deadline);
            if (line == null) throw new AssertionError("timed out after " + timeout + " with " + got.size() + "/" + n + " " + method + " notifications");
            if (line == EOF) throw new AssertionError("the server's stdout ended with " + got.size() + "/" + n + " " + method + " notifications");
            if (method.equals(line.path("method").asString(null))) got.add(line);
            else skipped.add(line);
        }
        return got;
    }

    /** Everything of {@code method} that arrives until the stream has been quiet for {@code quiet}. */
    List<JsonNode> drainQuiet(String method, Duration quiet) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        JsonNode line;
        while ((line = lines.poll(quiet.toNanos(), TimeUnit.NANOSECONDS)) != null) {
            if (line == EOF) {
                lines.add(EOF);
                break;
            }
            if (method.equals(line.path("method").asString(null))) got.add(line);
            else skipped.add(line);
        }
        return got;
    }

    /**
     * Everything of {@code method} the server wrote until its stdout reached EOF (after it exited or was
     * killed: the pipe still holds what it wrote before dying), failing if EOF does not come within {@code timeout}.
     */
    List<JsonNode> drainToEof(String method, Duration timeout) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode line = poll(deadline);
            if (line == null) throw new AssertionError("the server's stdout did not end within " + timeout + " (" + got.size() + " " + method + " notifications so far)");
            if (line == EOF) {
                if (readError != null) throw new AssertionError("reading the server's stdout failed before EOF (" + got.size() + " " + method + " notifications read)", readError);
                return got;
            }
            if (method.equals(line.path("method").asString(null))) got.add(line);
            else skipped.add(line);
        }
    }

    void handshake() throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        response("init", Duration.ofSeconds(40)); // a child JVM on a loaded 2-core box can take a while
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }
}
