package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Inbox;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.store.Event;
import ai.netsky.store.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The read-side commands and the per-invocation recording, in-process against a real meta.db file. */
class StoreCommandsTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() { h.close(); }

    JsonNode json(NetskyHarness.Run r) {
        assertEquals(0, r.exit(), r.err());
        return EnvelopeCodec.mapper().readTree(r.out());
    }

    /** In-process runs leave meta.db opening on a background thread when they end first; wait before moving files. */
    static void awaitBackgroundOpens() {
        NetskyHarness.await("background meta.db opens to finish", Duration.ofSeconds(30), () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("netsky-meta-db-open") && t.isAlive()));
    }

    /** query --json after the background opens of earlier in-process runs have committed (separate processes need no wait). */
    JsonNode settledQuery(String sql) {
        awaitBackgroundOpens();
        return json(h.run("query", "--json", sql));
    }

    void seed(Event... events) {
        try (EventStore s = new EventStore(h.paths(), Map.of())) {
            for (Event e : events) assertTrue(s.record(e).stored());
        }
    }

    @Test
    void everyInvocationRecordsArgvExitCodeAndDuration() {
        assertEquals(0, h.run("--version").exit());
        assertEquals(1, h.run("events", "--since", "bogus").exit());
        assertEquals(2, h.run("query", "--nope").exit());
        var r = settledQuery("SELECT argv_json, exit_code, duration_ms >= 0 AS timed, host IS NOT NULL AS has_host FROM cli_invocations ORDER BY ts_utc, id");
        var rows = r.path("data").path("rows");
        assertEquals(3, rows.size(), r.toString());
        assertEquals("[\"netsky\",\"--version\"]", rows.get(0).path("argv_json").asString());
        assertEquals(0, rows.get(0).path("exit_code").asInt());
        assertEquals("[\"netsky\",\"events\",\"--since\",\"bogus\"]", rows.get(1).path("argv_json").asString());
        assertEquals(1, rows.get(1).path("exit_code").asInt());
        assertEquals(2, rows.get(2).path("exit_code").asInt());
        assertEquals(1, h.run("events", "--since", "a \"quoted\"\tweird\n\u0001 ü").exit());
        var odd = settledQuery("SELECT argv_json FROM cli_invocations WHERE argv_json LIKE '%quoted%'");
        assertEquals(List.of("netsky", "events", "--since", "a \"quoted\"\tweird\n\u0001 ü"),
                EnvelopeCodec.mapper().readValue(odd.path("data").path("rows").get(0).path("argv_json").asString(), List.class), "argv_json is valid JSON");
        assertEquals(1, rows.get(0).path("timed").asInt());
        assertEquals(1, rows.get(0).path("has_host").asInt());
    }

    @Test
    void aBrokenStoreNeverChangesTheExitCodeAndSaysSoOnce() throws Exception {
        awaitBackgroundOpens();
        Files.createDirectories(h.paths().metaDb()); // not a file: every open fails
        Files.writeString(h.paths().logsDir(), "in the way of the spool directory");
        var ok = h.run("--version");
        assertEquals(0, ok.exit());
        assertEquals("netsky 0.1.7\n", ok.out());
        List<String> lines = ok.err().lines().toList();
        assertEquals(1, lines.size(), ok.err());
        assertTrue(lines.getFirst().startsWith("[netsky cli] meta-db record failed: "), ok.err());
        var failing = h.run("events", "--since", "bogus");
        assertEquals(1, failing.exit(), "the command's own exit code survives");
        assertEquals(1, failing.err().lines().filter(l -> l.startsWith("[netsky cli] meta-db record failed")).count());
    }

    @Test
    void aWriteFailureSpoolsAndTheNextRunImports() throws Exception {
        assertEquals(0, h.run("query", "SELECT 1").exit()); // creates meta.db; its own row is journaled
        Path db = h.paths().metaDb();
        // Put the database out of reach (a directory in its place), run a command that records an event, restore, read.
        // Locks and read-only files are covered with real processes in the store module's SpoolTest.
        Path aside = db.resolveSibling("meta.db.aside");
        Files.move(db, aside);
        Files.createDirectory(db);
        var send = h.run("channel", "send", "agent1", "while broken");
        assertEquals(0, send.exit(), "a store failure never fails the command: " + send.err());
        assertEquals("", send.err(), "spooled, so nothing is lost and nothing is said");
        assertTrue(Files.list(h.paths().logsDir()).anyMatch(p -> p.getFileName().toString().startsWith("meta-db-errors-")), "spooled");
        Files.delete(db);
        Files.move(aside, db);
        var r = settledQuery("SELECT (SELECT COUNT(*) FROM cli_invocations) AS cli, (SELECT COUNT(*) FROM communication_events WHERE preview = 'while broken') AS sent");
        assertEquals(2, r.path("data").path("rows").get(0).path("cli").asInt(), "the journaled and the spooled run rows: " + r);
        assertEquals(1, r.path("data").path("rows").get(0).path("sent").asInt(), "the spooled event: " + r);
        assertFalse(Files.list(h.paths().logsDir()).anyMatch(p -> p.getFileName().toString().startsWith("meta-db-errors-2")), "error spool consumed");
    }

    @Test
    void queryPrintsTableJsonAndCsvAndRefusesWrites() {
        seed(new Event.Tick(Instant.parse("2026-04-20T10:00:00Z"), "ticker", "{\"a\":1}"),
                new Event.Tick(Instant.parse("2026-04-20T10:01:00Z"), "timer, \"quoted\"", null));
        var text = h.run("query", "SELECT source, detail FROM ticks ORDER BY ts_utc");
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("| source") && text.out().contains("| ticker ") && text.out().contains("2 row(s)"), text.out());
        var j = json(h.run("query", "--json", "SELECT source FROM ticks ORDER BY ts_utc"));
        assertEquals("query", j.path("command").asString());
        assertEquals("green", j.path("status").asString());
        assertEquals("2 row(s)", j.path("summary").asString());
        assertEquals(2, j.path("data").path("row_count").asInt());
        assertEquals("ticker", j.path("data").path("rows").get(0).path("source").asString());
        var csv = h.run("query", "--csv", "SELECT source, detail FROM ticks ORDER BY ts_utc");
        assertEquals("source,detail\r\nticker,\"{\"\"a\"\":1}\"\r\n\"timer, \"\"quoted\"\"\",\r\n", csv.out());
        for (String sql : List.of("DELETE FROM ticks", "INSERT INTO ticks (ts_utc, source) VALUES ('x', 'y')", "DROP TABLE ticks", "WITH a AS (SELECT 1) DELETE FROM ticks")) {
            var w = h.run("query", sql);
            assertEquals(1, w.exit(), sql);
            assertTrue(w.err().startsWith("error: netsky query is read-only"), w.err());
        }
        var unknown = h.run("query", "SELECT * FROM nope");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("table 'nope' does not exist; tables: ") && unknown.err().contains("watchdog_events"), unknown.err());
        assertEquals(2, json(h.run("query", "--json", "SELECT COUNT(*) AS n FROM ticks")).path("data").path("rows").get(0).path("n").asInt());
    }

    @Test
    void eventsWatchdogEventsAndAnalyticsReadTheStore() {
        Instant now = Instant.now();
        seed(new Event.Session(now.minusSeconds(60), "agent0", 0, Event.SessionKind.UP, null),
                new Event.EnvelopeEvent(now.minusSeconds(50), Event.EnvelopeKind.SENT, "e1", "agent0", "agent1", null, "file", "ping", null),
                new Event.WatchdogEvent(now.minusSeconds(40), "hang", "agent1", "critical", "suspected", "pane stable 1811s"),
                new Event.WatchdogEvent(now.minusSeconds(35), "revive", "agent2", "warn", "ready", "pane exited"),
                new Event.Crash(now.minusSeconds(30), "pane-exited", "agent2", "status 1"),
                new Event.Restart(now.minusSeconds(20), "agent2", "crash-recovery", "ready", null),
                new Event.Session(now.minus(java.time.Duration.ofDays(3)), "agent0", 0, Event.SessionKind.DOWN, "old"),
                new Event.CliInvocation(now.minusSeconds(10), "netsky", "[\"netsky\",\"up\"]", 1, 500, "h"),
                new Event.TokenUsage(now.minusSeconds(5), "agent1", "s", "m", "claude-sonnet-4", 100, 200, 0, 0, 0.0033, "f"));
        var ev = h.run("events");
        assertEquals(0, ev.exit(), ev.err());
        List<String> lines = ev.out().lines().toList();
        assertEquals(6, lines.size(), ev.out());
        assertTrue(lines.get(0).contains("session") && lines.get(0).contains("agent0") && lines.get(0).contains("up"), lines.get(0));
        assertTrue(lines.get(1).contains("sent agent0→agent1 via file: ping"), lines.get(1));
        assertTrue(lines.get(5).contains("restart") && lines.get(5).contains("crash-recovery → ready"), lines.get(5));
        assertFalse(ev.out().contains("old"), "outside the default 24h window");
        var agent2 = json(h.run("events", "--agent", "agent2", "--type", "crash,restart", "--json"));
        assertEquals(2, agent2.path("data").path("events").size(), agent2.toString());
        var week = h.run("events", "--since", "7d", "--type", "session");
        assertEquals(2, week.out().lines().count(), week.out());
        var wd = json(h.run("watchdog-events", "--severity", "critical", "--json"));
        assertEquals(1, wd.path("data").path("events").size());
        assertEquals("hang", wd.path("data").path("events").get(0).path("name").asString());
        assertEquals("yellow", wd.path("status").asString());
        awaitBackgroundOpens();
        var an = json(h.run("analytics", "--json", "--days", "2"));
        var day = an.path("data").path("activity").get(an.path("data").path("activity").size() - 1);
        assertEquals(5, day.path("cli_runs").asInt(), "the seeded run and this test's four: " + an);
        assertEquals(1, day.path("cli_failed").asInt());
        assertEquals(1, day.path("sent").asInt());
        assertEquals(1, day.path("crashes").asInt());
        assertEquals(1, day.path("restarts").asInt());
        assertEquals("agent1", an.path("data").path("tokens").get(0).path("agent").asString());
        assertEquals(1, h.run("events", "--since", "yesterday").exit());
    }

    @Test
    void ingestClaudeSessionsStoresTokensAndCostPerAgentAndDayInBatches() throws Exception {
        Path root = h.home.resolve(".claude/projects/-work-netsky");
        Files.createDirectories(root);
        StringBuilder big = new StringBuilder("{\"type\":\"user\",\"sessionId\":\"s1\",\"message\":{\"role\":\"user\",\"content\":\"You are agent3, a clone\"}}\n");
        for (int i = 0; i < 1200; i++) {
            String ts = i < 600 ? "2026-04-19T23:59:00.000Z" : "2026-04-20T08:00:00.000Z";
            String line = "{\"type\":\"assistant\",\"sessionId\":\"s1\",\"timestamp\":\"" + ts + "\",\"message\":{\"id\":\"msg_" + i
                    + "\",\"model\":\"claude-sonnet-4-20250514\",\"usage\":{\"input_tokens\":10,\"output_tokens\":%d,\"cache_creation_input_tokens\":1000,\"cache_read_input_tokens\":2000}}}\n";
            big.append(line.formatted(1)); // an early streaming line for the same message …
            big.append(line.formatted(100)); // … and the final one with the full output count
        }
        big.append("not json at all\n");
        Files.writeString(root.resolve("s1.jsonl"), big);
        Files.writeString(root.resolve("s2.jsonl"), "{\"type\":\"assistant\",\"sessionId\":\"s2\",\"cwd\":\"/w/agent0\",\"timestamp\":\"2026-04-20T09:00:00.000Z\",\"costUSD\":0.5,"
                + "\"message\":{\"id\":\"m\",\"model\":\"claude-opus-4-1\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n");
        var r = json(h.run("ingest", "claude-sessions", "--json"));
        assertEquals(2, r.path("data").path("files").asInt(), r.toString());
        assertEquals(1201, r.path("data").path("turns").asInt());
        assertEquals(1201, r.path("data").path("inserted").asInt());
        assertEquals(1, r.path("data").path("skipped_lines").asInt());
        var again = json(h.run("ingest", "claude-sessions", "--root", h.home.resolve(".claude/projects").toString(), "--json"));
        assertEquals(0, again.path("data").path("inserted").asInt(), "re-ingest adds nothing");
        var sums = json(h.run("query", "--json", "SELECT day, agent, COUNT(*) AS turns, SUM(output_tokens) AS out, ROUND(SUM(cost_usd), 6) AS cost FROM token_usage GROUP BY day, agent ORDER BY day, agent"));
        var rows = sums.path("data").path("rows");
        assertEquals(3, rows.size(), sums.toString());
        assertEquals("2026-04-19", rows.get(0).path("day").asString());
        assertEquals("agent3", rows.get(0).path("agent").asString());
        assertEquals(600, rows.get(0).path("turns").asInt());
        assertEquals(60000, rows.get(0).path("out").asInt(), "the final line of each message wins");
        // sonnet: (10*3 + 100*15 + 1000*3.75 + 2000*0.3) / 1e6 = 0.00588 per turn
        assertEquals(600 * 0.00588, rows.get(0).path("cost").asDouble(), 1e-6);
        assertEquals("agent0", rows.get(1).path("agent").asString(), "attributed from the cwd");
        assertEquals(0.5, rows.get(1).path("cost").asDouble(), 1e-9, "costUSD wins over the estimate");
        var missing = h.run("ingest", "claude-sessions", "--root", h.home.resolve("nope").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no Claude Code transcripts at"), missing.err());
    }

    @Test
    void handoffsListNewestFirstAndShowOne() throws Exception {
        var absent = h.run("handoffs");
        assertEquals(0, absent.exit());
        assertTrue(absent.out().startsWith("archive not present: "), absent.out());
        Path dir = WatchdogPaths.of(h.paths(), h.env()).handoffArchiveDir();
        Files.createDirectories(dir);
        assertEquals("(archive empty)\n", h.run("handoffs").out());
        Files.writeString(dir.resolve("1776600000000000000-planned-netsky-restart-processing.txt"), "# planned restart\nbody one\n");
        Path newer = Files.writeString(dir.resolve("1776700000000000000-crash-crash-handoff-1-2.md"), "# crash-recovery restart by agentinfinity watchdog\n");
        Files.setLastModifiedTime(newer, java.nio.file.attribute.FileTime.fromMillis(0)); // copies keep old mtimes: the name decides
        var list = h.run("handoffs", "list");
        List<String> lines = list.out().lines().toList();
        assertEquals(2, lines.size(), list.out());
        assertTrue(lines.get(0).contains("crash") && lines.get(0).startsWith("  1"), lines.get(0));
        assertTrue(lines.get(1).contains("planned"), lines.get(1));
        assertTrue(h.run("handoffs", "last").out().contains("crash-recovery restart by agentinfinity watchdog"));
        assertTrue(h.run("handoffs", "2").out().contains("body one"));
        var out = h.run("handoffs", "3");
        assertEquals(1, out.exit());
        assertTrue(out.err().contains("index 3 out of range (have 2 entries)"), out.err());
        var j = json(h.run("handoffs", "--json"));
        assertEquals("crash", j.path("data").path("entries").get(0).path("kind").asString());
        assertTrue(h.run("handoffs", "x").err().contains("unknown selector 'x' (use: list | last | <N>)"));
    }

    @Test
    void morningBriefsAndSendsThroughTheNotifierOrAgent0() throws Exception {
        Instant now = Instant.now();
        seed(new Event.WatchdogEvent(now.minusSeconds(100), "crashloop", "agent0", "critical", "marker-written", "5 restarts in 600s"),
                new Event.Crash(now.minusSeconds(90), "session-missing", "agent0", null));
        var wd = WatchdogPaths.of(h.paths(), h.env());
        Files.createDirectories(h.paths().stateDir());
        Files.writeString(wd.hangMarker(AgentId.AGENT0), "owner decision: investigate.\n");
        Files.createDirectories(h.paths().logsDir());
        Files.writeString(wd.tickerLog(), "[watchdog-tick 2026-04-20T01:00:00Z] all quiet\n");
        Path old = Files.writeString(h.paths().stateDir().resolve("morning-brief-1"), "sent\n");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(15))));
        Path transcripts = Files.createDirectories(h.home.resolve(".claude/projects/-w"));
        Files.writeString(transcripts.resolve("s.jsonl"), "{\"type\":\"assistant\",\"sessionId\":\"s9\",\"cwd\":\"/w/agent0\",\"timestamp\":\"" + now
                + "\",\"message\":{\"id\":\"m1\",\"model\":\"claude-sonnet-4\",\"usage\":{\"input_tokens\":1000,\"output_tokens\":1000}}}\n");
        var m = h.run("morning");
        assertEquals(0, m.exit(), m.err());
        assertTrue(m.out().contains("tokens agent0: 2.0k ($0.02)") && m.out().contains("(ingested 1 new turn(s) from 1 transcript(s))"), m.out());
        assertTrue(m.out().contains("== health\ndoctor exited 1 — full output:"), m.out());
        assertTrue(m.out().contains("agent0-hang-suspected: owner decision: investigate."), m.out());
        assertTrue(m.out().contains("crashes: 1") && m.out().contains("critical crashloop agent0 marker-written"), m.out());
        assertTrue(m.out().contains("all quiet"), m.out());
        assertFalse(Files.exists(old), "14-day-old morning-brief markers are reaped");
        var j = json(h.run("morning", "--json"));
        assertEquals("red", j.path("status").asString());
        assertEquals(1, j.path("data").path("overnight").path("counts").path("crashes").asInt());

        var send = h.run("morning", "--send");
        assertEquals(0, send.exit(), send.err());
        assertTrue(send.err().contains("--send requested; agent0 should pipe this into a reply tool call."), send.err());
        var inbox = new Inbox(h.paths(), AgentId.AGENT0);
        assertEquals(1, inbox.pending().size());
        var item = (Inbox.Ready) inbox.read(inbox.pending().getFirst());
        assertEquals("morning_brief", item.envelope().kind());
        assertTrue(item.envelope().text().contains("== health"));

        Path got = h.base.resolve("got.txt");
        Path hook = h.base.resolve("notify.sh");
        Files.writeString(hook, "#!/bin/sh\nprintf '%s' \"$1\" > " + got + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        h.withEnv("NETSKY_NOTIFY_COMMAND", hook.toString());
        var viaHook = h.run("morning", "--send");
        assertEquals(0, viaHook.exit(), viaHook.err());
        assertTrue(Files.readString(got).contains("] morning briefing\n\n== health"), Files.readString(got));
        var d = json(h.run("query", "--json", "SELECT status FROM owner_directives WHERE source = 'morning' AND resolved_action = 'morning_brief' ORDER BY id"));
        assertEquals("requested", d.path("data").path("rows").get(0).path("status").asString());
        assertEquals("sent", d.path("data").path("rows").get(1).path("status").asString());
    }

    @Test
    void theWatchdogsEventsLandInTheirTables() {
        var ctx = new CliContext(h.env(), System.out, System.err, java.io.InputStream.nullInputStream());
        var events = new StoreWatchdogEvents(ctx);
        events.crash("pane-exited", "agent2", "status 1");
        events.event("revive", "agent2", "warn", "ready", "pane exited");
        events.event("escalation", null, "critical", "failed", "agent0 hung");
        events.event("hang", "agent1", "critical", "suspected", "pane stable 1811s");
        events.tick("ticker", "{\"actions\":2}");
        ctx.closeObservability();
        var r = json(h.run("query", "--json", "SELECT (SELECT kind || '/' || agent FROM crashes) AS crash, (SELECT reason || '/' || outcome FROM restarts) AS restart,"
                + " (SELECT subject || '/' || delivered FROM escalations) AS esc, (SELECT COUNT(*) FROM watchdog_events) AS wd, (SELECT detail FROM ticks) AS tick"));
        var row = r.path("data").path("rows").get(0);
        assertEquals("pane-exited/agent2", row.path("crash").asString());
        assertEquals("crash-recovery/ready", row.path("restart").asString());
        assertEquals("agent0 hung/0", row.path("esc").asString());
        assertEquals(4, row.path("wd").asInt(), "crash, revive, escalation, hang");
        assertEquals("{\"actions\":2}", row.path("tick").asString());
    }
}
