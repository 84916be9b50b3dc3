package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.Inbox;
import ai.netsky.watchdog.CronTable;
import ai.netsky.watchdog.Escalator;
import ai.netsky.watchdog.OsTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** escalate, launchd (systemd on Linux) and cron, run as a user would. */
class WatchdogCommandsTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** A stand-in program that records each argv element on its own NUL-separated record. */
    Path recorder(String name, int exit) throws Exception {
        Path bin = Files.createDirectories(h.base.resolve("fakebin"));
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> \"" + h.base.resolve(name + ".argv") + "\"; done\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    List<String> recorded(String name) throws Exception {
        return List.of(Files.readString(h.base.resolve(name + ".argv")).split("\0"));
    }

    @Test
    void escalateRunsTheHookWithTheMessageAsOneArgument() throws Exception {
        Path hook = recorder("notify", 0);
        String body = "line \"quoted\"\nend tell\\ back";
        var r = h.withEnv("NETSKY_NOTIFY_COMMAND", hook + " --flag").run("escalate", "agent0 crash-loop", body);
        assertEquals(0, r.exit(), r.err());
        List<String> argv = recorded("notify");
        assertEquals("--flag", argv.get(0));
        assertEquals(2, argv.size());
        assertTrue(argv.get(1).matches("(?s)\\[netsky \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\] agent0 crash-loop\n\n" + java.util.regex.Pattern.quote(body)), argv.get(1));
    }

    @Test
    void imessageGoesThroughAFixedScriptWithUserTextOnlyAsArgv() throws Exception {
        Path fake = recorder("osascript", 0);
        String nasty = "\" end tell\ndo shell script \"rm -rf ~\" \\";
        var env = Map.of("PATH", fake.getParent() + ":" + System.getenv("PATH"));
        var out = new Escalator(h.paths(), List.of(new Escalator.IMessage("+15551234567")), env).escalate(nasty, nasty);
        assertTrue(out.delivered(), out.lines().toString());
        List<String> argv = recorded("osascript");
        assertEquals("-e", argv.get(0));
        assertEquals(Escalator.IMESSAGE_SCRIPT, argv.get(1), "the script never changes with the message");
        assertEquals("+15551234567", argv.get(2));
        assertTrue(argv.get(3).endsWith("] " + nasty + "\n\n" + nasty), argv.get(3));
        assertEquals(4, argv.size());
    }

    @Test
    void escalateFailureIsNeverSilent() throws Exception {
        Path failing = recorder("notify", 3);
        var r = h.withEnv("NETSKY_NOTIFY_COMMAND", failing.toString()).run("escalate", "hang suspected");
        assertEquals(1, r.exit());
        assertEquals(2, recorded("notify").size(), "two attempts, one message argument each");
        assertTrue(r.err().contains("was not delivered"), r.err());
        try (var s = Files.list(h.paths().stateDir())) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("escalate-failed-")).count());
        }
        var none = new NetskyHarness();
        try {
            var n = none.run("escalate", "x");
            assertEquals(1, n.exit());
            assertTrue(n.err().contains("no notifier configured"), n.err());
        } finally {
            none.close();
        }
    }

    @Test
    void systemdTimerFilesAreWrittenIdempotentlyAndVerify() throws Exception {
        var first = h.withEnv("NETSKY_BIN", "/opt/netsky/bin/netsky").run("launchd", "install", "--systemd");
        assertEquals(0, first.exit(), first.err());
        var t = new OsTimer.Systemd(h.home, "/opt/netsky/bin/netsky", Map.of());
        String service = Files.readString(t.service());
        assertTrue(service.contains("ExecStart=\"/opt/netsky/bin/netsky\" watchdog tick"), service);
        assertTrue(service.contains("Type=oneshot") && service.contains("TimeoutStartSec=110"), service);
        String timer = Files.readString(t.timer());
        assertTrue(timer.contains("OnUnitActiveSec=120") && timer.contains("WantedBy=timers.target"), timer);
        assertTrue(first.out().contains("wrote " + t.service()), first.out());
        var second = h.run("launchd", "install", "--systemd");
        assertTrue(second.out().contains("unchanged " + t.service()), second.out());
        if (Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))) {
            var verify = BoundedProcess.run(List.of("systemd-analyze", "verify", "--user", t.service().toString(), t.timer().toString()),
                    Duration.ofSeconds(30), h.env(), null, null);
            String complaints = (verify.stdout() + verify.stderr()).lines()
                    .filter(l -> l.contains("netsky-watchdog") && !l.contains("Failed to connect") && !l.contains("/opt/netsky/bin/netsky"))
                    .reduce("", (a, b) -> a + b + "\n");
            assertEquals("", complaints, "systemd-analyze verify found problems in our units");
        }
        assertEquals(0, h.run("launchd", "status", "--systemd").exit());
        var un = h.run("launchd", "uninstall", "--systemd");
        assertEquals(0, un.exit(), un.err());
        assertFalse(Files.exists(t.service()) || Files.exists(t.timer()));
        assertEquals(1, h.run("launchd", "status", "--systemd").exit());
        assertTrue(h.run("launchd", "uninstall", "--systemd").out().contains("already absent"));
    }

    @Test
    void launchdPlistHasTheLabelProgramAndInterval() throws Exception {
        var r = h.withEnv("NETSKY_BIN", "/Users/a & b/netsky").run("launchd", "install", "--launchd");
        assertEquals(0, r.exit(), r.err());
        String plist = Files.readString(h.home.resolve("Library/LaunchAgents/dev.dkdc.netsky-watchdog.plist"));
        assertTrue(plist.contains("<key>Label</key><string>dev.dkdc.netsky-watchdog</string>"), plist);
        assertTrue(plist.contains("<string>/Users/a &amp; b/netsky</string>\n    <string>watchdog</string>\n    <string>tick</string>"), plist);
        assertTrue(plist.contains("<key>StartInterval</key><integer>120</integer>"), plist);
        assertTrue(plist.contains("/tmp/netsky-watchdog.err.log"), plist);
        if (Files.isExecutable(Path.of("/usr/bin/xmllint"))) {
            assertEquals(0, BoundedProcess.run(List.of("xmllint", "--noout", h.home.resolve("Library/LaunchAgents/dev.dkdc.netsky-watchdog.plist").toString()), Duration.ofSeconds(10)).exitCode());
        }
    }

    @Test
    void cronAddListTickRemove() {
        var add = h.run("cron", "add", "standup", "*/5 * * * *", "agent0", "post the standup");
        assertEquals(0, add.exit(), add.err());
        var bad = h.run("cron", "add", "bad", "61 * * * *", "agent0", "x");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("invalid cron schedule"), bad.err());
        assertEquals(1, h.run("cron", "add", "standup", "* * * * *", "agent0", "dup").exit());
        assertTrue(h.run("cron", "list").out().contains("standup"));
        assertTrue(h.run("cron", "list", "--json").out().contains("\"label\" : \"standup\""));
        assertEquals(0, h.run("cron", "remove", "standup").exit());
        assertEquals(1, h.run("cron", "remove", "standup").exit());
    }

    @Test
    void cronFiresOncePerScheduledTimeAndNeverAsABacklog() {
        var table = new CronTable(h.paths());
        ZonedDateTime t0 = ZonedDateTime.of(2026, 1, 1, 9, 1, 0, 0, ZoneId.systemDefault());
        table.add("hourly", "0 * * * *", "agent1", "check in", t0.toInstant());
        List<String> fired = new java.util.ArrayList<>();
        assertTrue(table.tick(t0.plusMinutes(30).toInstant(), e -> fired.add(e.label())).isEmpty(), "not due before 10:00");
        assertEquals(1, table.tick(t0.plusMinutes(60).toInstant(), e -> fired.add(e.label())).size(), "due at 10:00");
        assertTrue(table.tick(t0.plusMinutes(61).toInstant(), e -> fired.add(e.label())).isEmpty(), "fires once");
        // Down for five hours: one catch-up firing, not five.
        assertEquals(1, table.tick(t0.plusHours(6).toInstant(), e -> fired.add(e.label())).size());
        assertEquals(List.of("hourly", "hourly"), fired);
    }

    @Test
    void cronTickDeliversAnEnvelope() {
        new CronTable(h.paths()).add("now", "* * * * *", "agent2", "do the thing", Instant.now().minusSeconds(120));
        var r = h.run("cron", "tick");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("fired 'now' → agent2"), r.out());
        var inbox = new Inbox(h.paths(), AgentId.of("agent2"));
        var env = ((Inbox.Ready) inbox.read(inbox.pending().get(0))).envelope();
        assertEquals("do the thing", env.text());
        assertEquals("cron", env.kind());
        assertEquals("", h.run("cron", "tick").out(), "already fired this minute");
    }

    @Test
    void quietWritesASentinelTheWatchdogHonours() throws Exception {
        assertEquals(1, h.run("quiet", "0").exit());
        assertTrue(h.run("quiet", "0").err().contains("seconds must be >= 1"));
        var r = h.run("quiet", "3600", "--reason", "owner asleep");
        assertEquals(0, r.exit(), r.err());
        try (var s = Files.list(h.paths().stateDir())) {
            Path sentinel = s.filter(p -> p.getFileName().toString().startsWith("agent0-quiet-until-")).findFirst().orElseThrow();
            long until = Long.parseLong(sentinel.getFileName().toString().substring("agent0-quiet-until-".length()));
            assertTrue(Math.abs(until - (Instant.now().getEpochSecond() + 3600)) < 5);
            assertTrue(Files.readString(sentinel).contains("owner asleep"));
        }
    }
}
