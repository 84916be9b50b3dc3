package ai.netsky.io.calendar;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small CalDAV server (JDK HttpServer on 127.0.0.1): collections under {@code /cal/<name>/}
 * answer {@code REPORT} with a 207 multistatus of their resources and accept {@code PUT} with
 * {@code If-None-Match: *} / {@code If-Match} preconditions (412 otherwise); {@code /feeds/<name>.ics}
 * serves a plain iCalendar feed. Basic auth is required on {@code /cal/}. Every request is recorded.
 */
public final class CalDavFixture implements AutoCloseable {
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
    }

    public record Stored(String etag, String ics) {}

    public final Map<String, Map<String, Stored>> collections = new ConcurrentHashMap<>();
    public final Map<String, String> feeds = new ConcurrentHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger etags = new AtomicInteger();
    private final HttpServer server;
    private final String auth;

    public CalDavFixture(String user, String password) throws IOException {
        auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public void put(String collection, String name, String ics) {
        collections.computeIfAbsent(collection, k -> new ConcurrentHashMap<>()).put(name, new Stored("\"e" + etags.incrementAndGet() + "\"", ics));
    }

    public List<Request> requests(String method) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method().equals(method)).toList();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
        try {
            if (path.startsWith("/feeds/")) {
                String ics = feeds.get(path.substring("/feeds/".length()));
                if (ics == null) respond(ex, 404, "text/plain", "no feed");
                else respond(ex, 200, "text/calendar", ics);
                return;
            }
            if (!path.startsWith("/cal/")) {
                respond(ex, 404, "text/plain", "not found");
                return;
            }
            if (!auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                respond(ex, 401, "text/plain", "auth");
                return;
            }
            String rest = path.substring("/cal/".length());
            int slash = rest.indexOf('/');
            String collection = rest.substring(0, slash);
            String name = rest.substring(slash + 1);
            Map<String, Stored> col = collections.get(collection);
            if (col == null) {
                respond(ex, 404, "text/plain", "no collection");
                return;
            }
            switch (ex.getRequestMethod()) {
                case "REPORT" -> {
                    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:multistatus xmlns:d=\"DAV:\" xmlns:cal=\"urn:ietf:params:xml:ns:caldav\">");
                    col.forEach((n, s) -> sb.append("<d:response><d:href>/cal/").append(collection).append('/').append(n).append("</d:href><d:propstat><d:prop><d:getetag>")
                            .append(s.etag().replace("\"", "&quot;")).append("</d:getetag><cal:calendar-data>").append(s.ics().replace("&", "&amp;").replace("<", "&lt;"))
                            .append("</cal:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"));
                    sb.append("</d:multistatus>");
                    respond(ex, 207, "application/xml; charset=utf-8", sb.toString());
                }
                case "PUT" -> {
                    Stored cur = col.get(name);
                    String ifNone = ex.getRequestHeaders().getFirst("If-None-Match");
                    String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
                    if (("*".equals(ifNone) && cur != null) || (ifMatch != null && (cur == null || !cur.etag().equals(ifMatch)))) {
                        respond(ex, 412, "text/plain", "precondition failed");
                        return;
                    }
                    Stored s = new Stored("\"e" + etags.incrementAndGet() + "\"", body);
                    col.put(name, s);
                    ex.getResponseHeaders().add("ETag", s.etag());
                    respond(ex, cur == null ? 201 : 204, null, null);
                }
                default -> respond(ex, 405, "text/plain", "method");
            }
        } catch (RuntimeException e) {
            respond(ex, 500, "text/plain", e.toString());
        }
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (type != null) ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
