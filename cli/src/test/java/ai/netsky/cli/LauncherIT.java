package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.BoundedProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real launcher, as a user runs it: bin/netsky finds a JDK, runs the packaged jar. */
class LauncherIT {
    @Test
    void versionHelpAndSendThroughTheRealLauncher() {
        try (var h = new NetskyHarness()) {
            var v = h.exec(Duration.ofSeconds(60), "--version");
            assertEquals(0, v.exitCode(), v.stderr());
            assertEquals("netsky 0.1.7\n", v.stdout());
            assertEquals("", v.stderr(), "nothing on stderr (e.g. no SLF4J binding noise from a dependency)");
            var bad = h.exec(Duration.ofSeconds(60), "nosuch");
            assertEquals(2, bad.exitCode());
            var piped = BoundedProcess.run(List.of(NetskyHarness.netskyBin().toString(), "channel", "send", "agent4", "-"),
                    Duration.ofSeconds(60), h.env(), h.root, "piped text".getBytes(StandardCharsets.UTF_8));
            assertEquals(0, piped.exitCode(), piped.stderr());
            var drained = h.exec(Duration.ofSeconds(60), "channel", "drain", "agent4");
            assertTrue(drained.stdout().contains(">piped text</channel>"), drained.stdout());
        }
    }

    @Test
    void findJavaExplainsWhenNoJdkIsFound() {
        var r = BoundedProcess.run(List.of(NetskyHarness.repoRoot().resolve("bin/find-java").toString()), Duration.ofSeconds(30),
                Map.of("JAVA_HOME", "/nonexistent", "NETSKY_MIN_JAVA", "999", "PATH", "/usr/bin:/bin"), null, null);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("netsky needs a JDK >= 999") && r.stderr().contains("fix:"), r.stderr());
    }
}
