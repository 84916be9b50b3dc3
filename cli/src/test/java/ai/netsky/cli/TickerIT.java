package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.Names;
import ai.netsky.core.WatchdogPaths;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The netsky-ticker session in real tmux, through bin/netsky: beats, idempotent start, and self-heal by the watchdog. */
class TickerIT {
    @Test
    void tickerBeatsRunsTheWatchdogAndIsRespawnedWhenKilled() throws Exception {
        try (var h = new NetskyHarness()) {
            h.withEnv("NETSKY_TMP", h.base.toString()).withEnv("NETSKY_TICKER_INTERVAL_S", "1")
                    .withEnv("NETSKY_BIN", NetskyHarness.netskyBin().toString());
            var wd = WatchdogPaths.of(h.paths(), h.env());
            var start = h.exec(Duration.ofSeconds(90), "tick", "ticker-start");
            assertEquals(0, start.exitCode(), start.stdout() + start.stderr());
            assertTrue(start.stdout().contains("[netsky tick] spawned 'netsky-ticker'"), start.stdout());
            assertTrue(Files.exists(wd.tickerHeartbeat()));
            assertTrue(h.tmux("show-hooks", "-gw").stdout().contains("watchdog tick --source pane-died"), "ticker-start installs the pane-died hook");

            NetskyHarness.await("two beats in the ticker log, each running watchdog tick", Duration.ofSeconds(60), () -> {
                String log = TickerIT.read(wd.tickerLog());
                return log.split("netsky watchdog tick --source ticker: exit 0", -1).length > 2 && log.contains("netsky cron tick: exit 0");
            });

            var again = h.exec(Duration.ofSeconds(60), "tick", "ticker-start");
            assertEquals(0, again.exitCode(), again.stderr());
            assertTrue(again.stdout().contains("already up; skipping spawn"), again.stdout());

            // A dead agent pane is noticed by the ticker's liveness scan within seconds, not at the next beat.
            h.withEnv("NETSKY_TICKER_INTERVAL_S", "3600");
            assertEquals(0, h.tmux("kill-session", "-t", "=" + Names.TICKER_SESSION).exitCode());
            assertEquals(0, h.exec(Duration.ofSeconds(90), "tick", "ticker-start").exitCode());
            assertEquals(0, h.exec(Duration.ofSeconds(60), "watchdog", "hooks", "--uninstall").exitCode(), "so only the scan can notice");
            int beatsBefore = read(wd.tickerLog()).split("netsky cron tick:", -1).length;
            NetskyHarness.await("the restarted ticker's first beat to finish", Duration.ofSeconds(60),
                    () -> read(wd.tickerLog()).split("netsky cron tick:", -1).length > beatsBefore);
            Files.createDirectories(h.paths().promptsDir());
            Files.writeString(h.paths().promptsDir().resolve("agent1.md"), "a spawned clone");
            assertEquals(0, h.tmux("new-session", "-d", "-s", "agent1", "sleep 300", ";", "set-option", "-w", "-t", "=agent1:", "remain-on-exit", "on").exitCode());
            long pid = Long.parseLong(h.tmux("display-message", "-p", "-t", "=agent1:", "#{pane_pid}").stdout().strip());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            try {
                NetskyHarness.await("the ticker's scan to notice agent1's dead pane", Duration.ofSeconds(15),
                        () -> read(wd.tickerLog()).contains("agent1 pane dead; watchdog pass now"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nticker log:\n" + read(wd.tickerLog()) + "\nticker screen:\n"
                        + h.tmux("capture-pane", "-p", "-t", "=" + Names.TICKER_SESSION + ":").stdout(), e);
            }

            // The watchdog's ticker-presence step brings a killed ticker back, proven by a fresh heartbeat.
            assertEquals(0, h.tmux("kill-session", "-t", "=" + Names.TICKER_SESSION).exitCode());
            var tick = h.exec(Duration.ofSeconds(120), "watchdog", "tick", "--source", "manual");
            assertEquals(0, tick.exitCode(), tick.stdout() + tick.stderr());
            assertEquals(0, h.tmux("has-session", "-t", "=" + Names.TICKER_SESSION).exitCode(), "ticker respawned: " + tick.stdout());
            assertTrue(read(wd.watchdogLog()).contains("netsky-ticker missing (1 consecutive); respawn ok"), read(wd.watchdogLog()));
        }
    }

    static String read(java.nio.file.Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
