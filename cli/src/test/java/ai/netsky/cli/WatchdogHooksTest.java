package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event-driven trigger: a dying agent pane runs `netsky watchdog tick` at once via a tmux hook. */
class WatchdogHooksTest {
    @Test
    void aDyingPaneTriggersATickThroughTheHook() throws Exception {
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
            long pid = tmux.paneState("agent1").pid();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            try {
                NetskyHarness.await("the pane-died hook to run the watchdog", Duration.ofSeconds(30),
                        () -> Files.exists(calls) && readQuietly(calls).contains("watchdog tick --source pane-died"));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; hooks: " + tmux.raw("show-hooks", "-gw").stdout() + "; pane: " + tmux.paneState("agent1") + "; server messages: " + tmux.raw("show-messages", "-J").stdout() + tmux.raw("show-messages").stdout(), e);
            }
            assertTrue(tmux.paneState("agent1").dead(), "remain-on-exit keeps the dead pane for forensics");
            assertEquals(0, h.run("watchdog", "hooks", "--uninstall").exit());
            assertFalse(tmux.raw("show-hooks", "-gw").stdout().contains("watchdog tick"));
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
