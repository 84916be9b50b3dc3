package ai.netsky.io.calendar;

import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.io.access.AccessDenied;
import ai.netsky.io.access.AccessList;
import ai.netsky.io.access.AccessStore;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Period;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;

/**
 * The calendar source's behaviour, independent of MCP: upcoming events (recurrences expanded) from
 * CalDAV collections and ICS feeds, creating and updating events in CalDAV calendars, and due
 * reminders. Only allowlisted calendars are read or written; ICS feeds are read-only.
 */
public final class Calendars {
    public static final int DEFAULT_DAYS = 7;
    public static final int DEFAULT_LIMIT = 50;

    private final AccessStore access;
    private final List<CalendarFeed> feeds;
    private final CalDavClient dav;
    private final ZoneId zone;
    private final Duration reminderLead;
    private final Set<String> reminded = new HashSet<>();

    public Calendars(AccessStore access, List<CalendarFeed> feeds, CalDavClient dav, ZoneId zone, Duration reminderLead) {
        this.access = access;
        this.feeds = List.copyOf(feeds);
        this.dav = dav;
        this.zone = zone;
        this.reminderLead = reminderLead;
    }

    /** One occurrence of an event. */
    public record Occurrence(String calendar, String uid, String summary, Instant start, Instant end, boolean allDay,
                             String location, String description, Duration alarmLead) {
        Map<String, Object> toJson() {
            var m = new LinkedHashMap<String, Object>();
            m.put("calendar", calendar);
            m.put("uid", uid);
            m.put("summary", summary);
            m.put("start", Timestamps.rfc3339(start));
            m.put("end", end == null ? null : Timestamps.rfc3339(end));
            m.put("all_day", allDay);
            m.put("location", location);
            m.put("description", description);
            return m;
        }
    }

    private AccessList list() {
        return access.load().require();
    }

    private CalendarFeed allowedFeed(AccessList list, String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("calendar is required; configured: " + names());
        CalendarFeed f = feeds.stream().filter(c -> c.name().equals(name.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no calendar '" + name + "'; configured: " + names()));
        if (!list.allows(f.name())) {
            throw new AccessDenied("calendar " + f.name() + " is not allowlisted (fail-closed); only the owner can allow it, with `netsky io access calendar allow " + f.name() + "`");
        }
        return f;
    }

    private String names() {
        return feeds.isEmpty() ? "none (add [[channels.calendar.calendars]] to netsky.toml)" : String.join(", ", feeds.stream().map(CalendarFeed::name).toList());
    }

    public Map<String, Object> listEvents(String calendar, Integer days, Integer limit, Instant now) {
        AccessList list = list();
        int d = days == null ? DEFAULT_DAYS : Math.max(1, Math.min(366, days));
        int n = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(500, limit));
        List<CalendarFeed> chosen = calendar == null || calendar.isBlank()
                ? feeds.stream().filter(f -> list.allows(f.name())).toList() : List.of(allowedFeed(list, calendar));
        List<Occurrence> all = new ArrayList<>();
        for (CalendarFeed f : chosen) all.addAll(occurrences(f, now, now.plus(Duration.ofDays(d))));
        all.sort(Comparator.comparing(Occurrence::start).thenComparing(Occurrence::uid));
        return Map.of("events", all.stream().limit(n).map(Occurrence::toJson).toList());
    }

    List<Occurrence> occurrences(CalendarFeed f, Instant from, Instant to) {
        List<Occurrence> out = new ArrayList<>();
        List<String> texts = f.type() == CalendarFeed.Type.ICS ? List.of(dav.fetchFeed(f))
                : dav.query(f, from, to).stream().map(CalDavClient.Resource::ics).toList();
        for (String ics : texts) {
            for (VEvent e : events(f, ics)) out.addAll(expand(f, e, from, to));
        }
        return out;
    }

    private List<VEvent> events(CalendarFeed f, String ics) {
        try {
            Calendar cal = new CalendarBuilder().build(new StringReader(ics));
            return cal.getComponents(Component.VEVENT);
        } catch (Exception e) {
            throw new NetskyException("calendar '" + f.name() + "': unreadable iCalendar data (" + e.getMessage() + "); check the feed in a calendar app", e);
        }
    }

    private Instant instant(Temporal t) {
        return switch (t) {
            case Instant i -> i;
            case ZonedDateTime z -> z.toInstant();
            case OffsetDateTime o -> o.toInstant();
            case LocalDateTime l -> l.atZone(zone).toInstant();
            case LocalDate d -> d.atStartOfDay(zone).toInstant();
            default -> Instant.from(t);
        };
    }

    private List<Occurrence> expand(CalendarFeed f, VEvent e, Instant from, Instant to) {
        Optional<DtStart<Temporal>> ds = e.getStartDate();
        if (ds.isEmpty()) return List.of();
        Temporal startT = ds.get().getDate();
        boolean allDay = startT instanceof LocalDate;
        Instant start = instant(startT);
        Optional<DtEnd<Temporal>> de = e.getEndDate();
        Duration length = de.map(x -> Duration.between(start, instant(x.getDate()))).orElse(allDay ? Duration.ofDays(1) : Duration.ZERO);
        String uid = e.getUid().map(Uid::getValue).orElse("");
        String summary = e.getSummary() == null ? "" : e.getSummary().getValue();
        String location = e.getLocation() == null ? null : e.getLocation().getValue();
        String description = e.getDescription() == null ? null : e.getDescription().getValue();
        Duration alarm = alarmLead(e);
        List<Instant> starts = new ArrayList<>();
        if (e.getProperty(Property.RRULE).isPresent() || e.getProperty(Property.RDATE).isPresent()) {
            try {
                Period<ZonedDateTime> window = new Period<>(from.atZone(zone).minus(length), to.atZone(zone));
                Set<Period<Temporal>> set = e.calculateRecurrenceSet(window);
                for (Period<Temporal> p : set) starts.add(instant(p.getStart()));
            } catch (RuntimeException unsupported) {
                starts.add(start); // a recurrence ical4j cannot expand still shows its first occurrence
            }
        } else {
            starts.add(start);
        }
        List<Occurrence> out = new ArrayList<>();
        for (Instant s : starts) {
            Instant end = s.plus(length);
            boolean overlaps = s.isBefore(to) && (end.isAfter(from) || (length.isZero() && !s.isBefore(from)));
            if (overlaps) out.add(new Occurrence(f.name(), uid, summary, s, length.isZero() ? null : end, allDay, location, description, alarm));
        }
        return out;
    }

    /** The lead of the first display/audio alarm relative to the start ({@code TRIGGER:-PT15M} → 15 min), if any. */
    private static Duration alarmLead(VEvent e) {
        for (VAlarm a : e.getAlarms()) {
            var trig = a.getTrigger();
            if (trig.isEmpty() || trig.get().isAbsolute()) continue;
            TemporalAmount amount = trig.get().getDuration();
            if (amount instanceof Duration d) return d.negated();
            if (amount instanceof java.time.Period p) return Duration.ofDays(-p.getDays());
        }
        return null;
    }

    // ---- writes ----

    static Instant parseTime(String s, ZoneId zone, String arg) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException(arg + " is required (ISO 8601, e.g. 2026-12-02T10:00:00Z)");
        String v = s.strip();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(v).atZone(zone).toInstant();
            } catch (DateTimeParseException bad) {
                throw new IllegalArgumentException(arg + " '" + v + "' is not an ISO 8601 time like 2026-12-02T10:00:00Z or 2026-12-02T10:00");
            }
        }
    }

    public Map<String, Object> createEvent(String calendar, String summary, String start, String end, String location, String description) {
        AccessList list = list();
        CalendarFeed f = allowedFeed(list, calendar);
        if (!f.writable()) throw new IllegalArgumentException("calendar " + f.name() + " is an ICS feed, which is read-only; create events in a caldav calendar");
        if (summary == null || summary.isBlank()) throw new IllegalArgumentException("summary is required");
        Instant s = parseTime(start, zone, "start");
        Instant e = end == null || end.isBlank() ? s.plus(Duration.ofHours(1)) : parseTime(end, zone, "end");
        if (!e.isAfter(s)) throw new IllegalArgumentException("end must be after start");
        String uid = UUID.randomUUID() + "@netsky";
        // Instants serialise as UTC ("…Z"); a ZonedDateTime in UTC would come out as an invalid TZID=Z.
        VEvent ev = new VEvent(s, e, summary.strip()); // adds DTSTAMP itself
        ev.add(new Uid(uid));
        if (location != null && !location.isBlank()) ev.add(new Location(location));
        if (description != null && !description.isBlank()) ev.add(new Description(description));
        Calendar cal = new Calendar().withProdId("-//netsky//io calendar 0.1.7//EN").withDefaults().withComponent(ev).getFluentTarget();
        URI href = resource(f, uid);
        dav.put(f, href, cal.toString(), null);
        return Map.of("created", true, "calendar", f.name(), "uid", uid, "start", Timestamps.rfc3339(s), "end", Timestamps.rfc3339(e));
    }

    static URI resource(CalendarFeed f, String uid) {
        String base = f.url().toString();
        if (!base.endsWith("/")) base += "/";
        return URI.create(base + URLEncoder.encode(uid, StandardCharsets.UTF_8).replace("+", "%20") + ".ics");
    }

    public Map<String, Object> updateEvent(String calendar, String uid, String summary, String start, String end, String location, String description) {
        AccessList list = list();
        CalendarFeed f = allowedFeed(list, calendar);
        if (!f.writable()) throw new IllegalArgumentException("calendar " + f.name() + " is an ICS feed, which is read-only");
        if (uid == null || uid.isBlank()) throw new IllegalArgumentException("uid is required (from list_events)");
        CalDavClient.Resource res = null;
        Calendar cal = null;
        for (CalDavClient.Resource r : dav.query(f, null, null)) {
            try {
                Calendar c = new CalendarBuilder().build(new StringReader(r.ics()));
                if (c.getComponents(Component.VEVENT).stream().anyMatch(x -> ((VEvent) x).getUid().map(Uid::getValue).orElse("").equals(uid.strip()))) {
                    res = r;
                    cal = c;
                    break;
                }
            } catch (Exception unreadable) {
                // Skip resources we cannot parse; the one we want may still be there.
            }
        }
        if (res == null) throw new IllegalArgumentException("no event with uid " + uid + " in calendar " + f.name() + "; list_events shows the uids");
        for (Object o : cal.getComponents(Component.VEVENT)) {
            VEvent ev = (VEvent) o;
            if (!ev.getUid().map(Uid::getValue).orElse("").equals(uid.strip())) continue;
            if (ev.getProperty(Property.RECURRENCE_ID).isPresent()) continue; // edit the series master only
            Optional<DtStart<Temporal>> oldStart = ev.getStartDate();
            Optional<DtEnd<Temporal>> oldEnd = ev.getEndDate();
            if (summary != null && !summary.isBlank()) ev.replace(new Summary(summary.strip()));
            if (location != null) ev.replace(new Location(location));
            if (description != null) ev.replace(new Description(description));
            if (start != null && !start.isBlank()) {
                Instant s = parseTime(start, zone, "start");
                Duration len = oldStart.isPresent() && oldEnd.isPresent()
                        ? Duration.between(instant(oldStart.get().getDate()), instant(oldEnd.get().getDate())) : Duration.ofHours(1);
                ev.replace(new DtStart<>(s));
                if (end == null || end.isBlank()) ev.replace(new DtEnd<>(s.plus(len)));
            }
            if (end != null && !end.isBlank()) ev.replace(new DtEnd<>(parseTime(end, zone, "end")));
            int seq = ev.getProperty(Property.SEQUENCE).map(p -> Integer.parseInt(((Property) p).getValue())).orElse(0);
            ev.replace(new Sequence(seq + 1));
            ev.replace(new LastModified(Instant.now()));
            ev.replace(new DtStamp(Instant.now()));
        }
        dav.put(f, res.href(), cal.toString(), res.etag());
        return Map.of("updated", true, "calendar", f.name(), "uid", uid.strip());
    }

    // ---- reminders ----

    /**
     * Occurrences whose reminder is due at {@code now} (their own VALARM lead, else the configured
     * one) and that have not started yet, each reported once. A closed allowlist yields nothing.
     */
    public List<Occurrence> dueReminders(Instant now) {
        AccessList list;
        try {
            list = list();
        } catch (AccessDenied closed) {
            return List.of();
        }
        List<Occurrence> due = new ArrayList<>();
        Duration horizon = reminderLead.plus(Duration.ofDays(1));
        for (CalendarFeed f : feeds) {
            if (!list.allows(f.name())) continue;
            for (Occurrence o : occurrences(f, now, now.plus(horizon))) {
                Duration lead = o.alarmLead() != null ? o.alarmLead() : reminderLead;
                if (o.start().isAfter(now) && !now.isBefore(o.start().minus(lead)) && reminded.add(f.name() + "\u0000" + o.uid() + "\u0000" + o.start())) {
                    due.add(o);
                }
            }
        }
        due.sort(Comparator.comparing(Occurrence::start));
        return due;
    }
}
