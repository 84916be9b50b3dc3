package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event-driven trigger: a dying agent pane runs `netsky watchdog tick` at once via a tmux hook.
 * tmux 3.3a misses pane-died now and then for SIGKILLed panes (about 1 in 10 here), so this test runs
 * the installed hook with `set-hook -R` — the hook's command is what is ours — and the ticker's
 * one-second liveness scan (TickerIT) is what makes detection not depend on the hook.
 */
class WatchdogHooksTest {
    @Test
    void theInstalledHookRunsAWatchdogPass() throws Exception {
        try (var h = new NetskyHarness()) {
            Path calls = h.base.resolve("calls.txt");
            Path fake = h.base.resolve("fake netsky");
            Files.writeString(fake, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
            h.withEnv("NETSKY_BIN", fake.toString());
            Tmux tmux = new Tmux(h.env());
            assertTrue(tmux.newSession("agent1", h.root, Map.of(), "sleep 300"));
            var r = h.run("watchdog", "hooks");
            assertEquals(0, r.exit(), r.err());
            assertTrue(tmux.raw("show-hooks", "-gw").stdout().contains("watchdog tick --source pane-died"));
            assertTrue(tmux.raw("show-hooks", "-g").stdout().contains("watchdog tick --source session-closed"));
            assertEquals(0, tmux.raw("set-hook", "-R", "pane-died").exitCode());
            NetskyHarness.await("the pane-died hook to run the watchdog", Duration.ofSeconds(10),
                    () -> readQuietly(calls).contains("watchdog tick --source pane-died"));
            assertEquals(0, h.run("watchdog", "hooks", "--uninstall").exit());
            assertFalse(tmux.raw("show-hooks", "-gw").stdout().contains("watchdog tick"));
            assertFalse(tmux.raw("show-hooks", "-g").stdout().contains("watchdog tick"));
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
