package ai.netsky.io.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.io.access.AccessDenied;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calendar behaviour against a CalDAV + ICS fixture server over real HTTP. */
public class CalendarsTest {
    static final Instant NOW = Instant.parse("2026-12-02T09:00:00Z");

    @TempDir
    Path home;
    CalDavFixture dav;
    AccessStore access;
    Calendars cals;

    public static String vevent(String uid, String start, String end, String summary, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fixture//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261101T000000Z\r\nDTSTART" + start
                + "\r\n" + (end == null ? "" : "DTEND" + end + "\r\n") + "SUMMARY:" + summary + "\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    @BeforeEach
    void setUp() throws Exception {
        dav = new CalDavFixture("me", "caldav-pw");
        dav.put("personal", "standup.ics", vevent("standup-1", ":20261130T093000Z", ":20261130T094500Z", "Stand-up", "RRULE:FREQ=DAILY\r\n"));
        dav.put("personal", "dentist.ics", vevent("dentist-1", ":20261203T140000Z", ":20261203T150000Z", "Dentist",
                "LOCATION:Main St 1\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Dentist\r\nTRIGGER:-PT30M\r\nEND:VALARM\r\n"));
        dav.put("personal", "past.ics", vevent("past-1", ":20261101T100000Z", ":20261101T110000Z", "Long ago", ""));
        dav.put("work", "board.ics", vevent("board-1", ":20261202T100000Z", ":20261202T110000Z", "Secret board meeting", ""));
        dav.feeds.put("holidays.ics", vevent("xmas", ";VALUE=DATE:20261225", ";VALUE=DATE:20261226", "Christmas", ""));
        List<CalendarFeed> feeds = List.of(
                new CalendarFeed("personal", dav.base().resolve("/cal/personal/"), CalendarFeed.Type.CALDAV, "me", "CALDAV_PW"),
                new CalendarFeed("work", dav.base().resolve("/cal/work/"), CalendarFeed.Type.CALDAV, "me", "CALDAV_PW"),
                new CalendarFeed("holidays", dav.base().resolve("/feeds/holidays.ics"), CalendarFeed.Type.ICS, null, null));
        access = AccessStore.forEnv(AccessSource.CALENDAR, Map.of("HOME", home.toString()));
        cals = new Calendars(access, feeds, new CalDavClient(Map.of("CALDAV_PW", "caldav-pw")), ZoneOffset.UTC, Duration.ofMinutes(10));
    }

    @AfterEach
    void tearDown() {
        dav.close();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> events(Map<String, Object> r) {
        return (List<Map<String, Object>>) r.get("events");
    }

    @Test
    void everyToolFailsClosedWithoutAnAllowlist() {
        for (Runnable call : List.<Runnable>of(() -> cals.listEvents(null, null, null, NOW),
                () -> cals.createEvent("personal", "x", "2026-12-05T10:00:00Z", null, null, null),
                () -> cals.updateEvent("personal", "dentist-1", "x", null, null, null, null))) {
            AccessDenied e = assertThrows(AccessDenied.class, call::run);
            assertTrue(e.getMessage().contains("fails closed"), e.getMessage());
        }
        assertTrue(cals.dueReminders(NOW.plus(Duration.ofDays(1))).isEmpty());
        assertTrue(dav.requests("PUT").isEmpty());
    }

    @Test
    void listsUpcomingEventsOfAllowlistedCalendarsOnlyWithRecurrencesExpanded() {
        access.allow(List.of("personal", "holidays"));
        var week = events(cals.listEvents(null, 7, null, NOW));
        List<Object> summaries = week.stream().map(e -> e.get("summary")).toList();
        assertEquals(8, summaries.size(), week.toString()); // stand-up 12-02 … 12-08 (7) + dentist
        assertEquals("Stand-up", summaries.get(0));
        assertEquals("2026-12-02T09:30:00", ((String) week.get(0).get("start")).substring(0, 19));
        assertTrue(week.stream().anyMatch(e -> e.get("summary").equals("Dentist") && "Main St 1".equals(e.get("location"))));
        assertFalse(summaries.contains("Secret board meeting"), "the work calendar is not allowlisted");
        assertFalse(summaries.contains("Long ago"));
        var month = events(cals.listEvents("holidays", 30, null, NOW));
        assertEquals(1, month.size());
        assertEquals(true, month.get(0).get("all_day"));
        assertEquals("Christmas", month.get(0).get("summary"));
        AccessDenied e = assertThrows(AccessDenied.class, () -> cals.listEvents("work", 7, null, NOW));
        assertTrue(e.getMessage().contains("calendar work is not allowlisted"), e.getMessage());
        var report = dav.requests("REPORT").get(0);
        assertEquals("1", report.header("Depth"));
        assertTrue(report.body().contains("time-range start=\"20261202T090000Z\""), report.body());
        assertTrue(dav.requests("REPORT").stream().noneMatch(r -> r.path().contains("/work/")), "nothing was even fetched from work");
    }

    @Test
    void createsOnlyInAllowlistedCaldavCalendars() {
        access.allow(List.of("personal", "holidays"));
        var created = cals.createEvent("personal", "Call with \"Bob\"; agenda, etc.", "2026-12-04T16:00:00Z", null, "Zoom", "line1\nline2");
        String uid = (String) created.get("uid");
        var put = dav.requests("PUT").get(0);
        assertEquals("*", put.header("If-None-Match"));
        assertTrue(put.path().startsWith("/cal/personal/") && put.path().endsWith(".ics"), put.path());
        assertTrue(put.body().contains("UID:" + uid) && put.body().contains("DTSTART:20261204T160000Z"), put.body());
        var listed = events(cals.listEvents("personal", 7, null, NOW)).stream().filter(e -> uid.equals(e.get("uid"))).toList();
        assertEquals(1, listed.size());
        assertEquals("Call with \"Bob\"; agenda, etc.", listed.get(0).get("summary"));
        assertEquals("line1\nline2", listed.get(0).get("description"));
        assertEquals("2026-12-04T17:00:00", ((String) listed.get(0).get("end")).substring(0, 19), "default length one hour");

        assertThrows(AccessDenied.class, () -> cals.createEvent("work", "x", "2026-12-05T10:00:00Z", null, null, null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cals.createEvent("holidays", "x", "2026-12-05T10:00:00Z", null, null, null))
                .getMessage().contains("read-only"));
        assertThrows(IllegalArgumentException.class, () -> cals.createEvent("personal", "x", "tomorrow", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> cals.createEvent("personal", "x", "2026-12-05T10:00:00Z", "2026-12-05T09:00:00Z", null, null));
        assertEquals(1, dav.requests("PUT").size(), "refused creates sent nothing");
        assertEquals(4, dav.collections.get("personal").size());
        assertEquals(1, dav.collections.get("work").size());
    }

    @Test
    void updatesKeepTheDurationBumpTheSequenceAndUseIfMatch() {
        access.allow(List.of("personal"));
        String etag = dav.collections.get("personal").get("dentist.ics").etag();
        cals.updateEvent("personal", "dentist-1", "Dentist (moved)", "2026-12-03T16:00:00Z", null, null, null);
        var put = dav.requests("PUT").get(0);
        assertEquals(etag, put.header("If-Match"));
        assertTrue(put.body().contains("SEQUENCE:1"), put.body());
        var dentist = events(cals.listEvents("personal", 7, null, NOW)).stream().filter(e -> "dentist-1".equals(e.get("uid"))).findFirst().orElseThrow();
        assertEquals("Dentist (moved)", dentist.get("summary"));
        assertEquals("2026-12-03T16:00:00", ((String) dentist.get("start")).substring(0, 19));
        assertEquals("2026-12-03T17:00:00", ((String) dentist.get("end")).substring(0, 19));
        assertEquals("Main St 1", dentist.get("location"), "fields not given stay");
        assertThrows(AccessDenied.class, () -> cals.updateEvent("work", "board-1", "hijack", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> cals.updateEvent("personal", "board-1", "wrong calendar", null, null, null, null));
        assertEquals("Secret board meeting", dav.collections.get("work").get("board.ics").ics().lines().filter(l -> l.startsWith("SUMMARY")).findFirst().orElseThrow().substring(8));
    }

    @Test
    void remindersFireOnceUsingTheEventsOwnAlarmElseTheConfiguredLead() {
        access.allow(List.of("personal"));
        assertTrue(cals.dueReminders(Instant.parse("2026-12-03T13:20:00Z")).stream().noneMatch(o -> o.uid().equals("dentist-1")), "40 min ahead: not yet");
        var due = cals.dueReminders(Instant.parse("2026-12-03T13:31:00Z"));
        assertEquals(List.of("dentist-1"), due.stream().map(Calendars.Occurrence::uid).toList(), "VALARM -PT30M");
        assertTrue(cals.dueReminders(Instant.parse("2026-12-03T13:40:00Z")).isEmpty(), "once only");
        var standup = cals.dueReminders(Instant.parse("2026-12-04T09:21:00Z"));
        assertEquals(List.of("standup-1"), standup.stream().map(Calendars.Occurrence::uid).toList(), "default lead 10 min");
        assertEquals(Instant.parse("2026-12-04T09:30:00Z"), standup.get(0).start());
        assertNull(standup.get(0).alarmLead());
    }

    @Test
    void wrongCredentialsAreAClearError() {
        access.allow(List.of("personal"));
        Calendars bad = new Calendars(access, List.of(new CalendarFeed("personal", dav.base().resolve("/cal/personal/"), CalendarFeed.Type.CALDAV, "me", "CALDAV_PW")),
                new CalDavClient(Map.of("CALDAV_PW", "wrong")), ZoneOffset.UTC, Duration.ofMinutes(10));
        var e = assertThrows(ai.netsky.core.NetskyException.class, () -> bad.listEvents(null, 7, null, NOW));
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("password_env"), e.getMessage());
    }
}
