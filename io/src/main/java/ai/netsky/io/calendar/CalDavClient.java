package ai.netsky.io.calendar;

import ai.netsky.core.NetskyException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The little of CalDAV (RFC 4791) and plain HTTP netsky needs, on the JDK's HttpClient: a
 * {@code calendar-query} REPORT for events, PUT of one event resource (create with
 * {@code If-None-Match: *}, update with {@code If-Match: <etag>}), and GET of an ICS feed.
 */
public final class CalDavClient {
    static final String DAV = "DAV:";
    static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<String, String> env;

    public CalDavClient(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** One event resource: its href (relative to the server), etag and iCalendar text. */
    public record Resource(URI href, String etag, String ics) {}

    private HttpRequest.Builder request(CalendarFeed feed, URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", "netsky-io");
        String pw = feed.password(env);
        if (feed.username() != null && pw != null) {
            if (!"https".equals(uri.getScheme()) && !isLoopback(uri)) {
                throw new NetskyException("calendar '" + feed.name() + "': refusing to send a password over plain http to " + uri.getHost() + "; use an https URL");
            }
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((feed.username() + ":" + pw).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private static boolean isLoopback(URI uri) {
        String h = uri.getHost();
        return "127.0.0.1".equals(h) || "localhost".equals(h) || "::1".equals(h) || "[::1]".equals(h);
    }

    private HttpResponse<byte[]> send(CalendarFeed feed, HttpRequest req, String what) {
        try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.body() != null && r.body().length > MAX_BYTES) throw new NetskyException("calendar '" + feed.name() + "': " + what + " returned more than 8 MiB; narrow the calendar");
            return r;
        } catch (IOException e) {
            throw new NetskyException("calendar '" + feed.name() + "': cannot " + what + " at " + req.uri() + ": " + e.getMessage() + "; check its url in netsky.toml", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetskyException("calendar '" + feed.name() + "': interrupted while trying to " + what);
        }
    }

    private static NetskyException status(CalendarFeed feed, String what, HttpResponse<?> r) {
        String hint = r.statusCode() == 401 || r.statusCode() == 403 ? "check username and password_env" : "check its url in netsky.toml";
        return new NetskyException("calendar '" + feed.name() + "': " + what + " got HTTP " + r.statusCode() + "; " + hint);
    }

    /** The whole feed of an ICS calendar. */
    public String fetchFeed(CalendarFeed feed) {
        HttpResponse<byte[]> r = send(feed, request(feed, feed.url()).GET().build(), "fetch the feed");
        if (r.statusCode() / 100 != 2) throw status(feed, "fetching the feed", r);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Events of a CalDAV collection overlapping [from, to), or all of them when {@code from} is null. */
    public List<Resource> query(CalendarFeed feed, Instant from, Instant to) {
        String range = from == null ? "" : "<C:time-range start=\"" + UTC.format(from) + "\" end=\"" + UTC.format(to) + "\"/>";
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
                + "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
                + "<C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">" + range + "</C:comp-filter></C:comp-filter></C:filter>"
                + "</C:calendar-query>";
        HttpRequest req = request(feed, feed.url()).header("Depth", "1").header("Content-Type", "application/xml; charset=utf-8")
                .method("REPORT", HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> r = send(feed, req, "query events");
        if (r.statusCode() != 207) throw status(feed, "the calendar-query REPORT", r);
        return parseMultistatus(feed, r.body());
    }

    static List<Resource> parseMultistatus(CalendarFeed feed, byte[] xml) {
        List<Resource> out = new ArrayList<>();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            // A server's reply must not make us fetch or expand anything (XXE).
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            NodeList responses = doc.getElementsByTagNameNS(DAV, "response");
            for (int i = 0; i < responses.getLength(); i++) {
                Element resp = (Element) responses.item(i);
                String href = text(resp, DAV, "href");
                String data = text(resp, CALDAV, "calendar-data");
                if (href == null || data == null || data.isBlank()) continue;
                out.add(new Resource(feed.url().resolve(href.strip()), text(resp, DAV, "getetag"), data));
            }
        } catch (Exception e) {
            throw new NetskyException("calendar '" + feed.name() + "': the server's REPORT reply is not a CalDAV multistatus (" + e.getMessage() + "); check that the url is a calendar collection", e);
        }
        return out;
    }

    private static String text(Element parent, String ns, String local) {
        NodeList l = parent.getElementsByTagNameNS(ns, local);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    /** PUTs one event; {@code etag} null creates (fails if the resource exists), else updates only that version. */
    public String put(CalendarFeed feed, URI href, String ics, String etag) {
        HttpRequest.Builder b = request(feed, href).header("Content-Type", "text/calendar; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(ics, StandardCharsets.UTF_8));
        if (etag == null) b.header("If-None-Match", "*");
        else b.header("If-Match", etag);
        HttpResponse<byte[]> r = send(feed, b.build(), etag == null ? "create an event" : "update an event");
        if (r.statusCode() == 412) {
            throw new NetskyException("calendar '" + feed.name() + "': the event changed on the server meanwhile (HTTP 412); list it again and retry");
        }
        if (r.statusCode() / 100 != 2) throw status(feed, etag == null ? "creating the event" : "updating the event", r);
        return r.headers().firstValue("ETag").orElse(null);
    }
}
