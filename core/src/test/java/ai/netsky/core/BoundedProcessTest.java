package ai.netsky.core;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedProcessTest {
    @Test
    void capturesOutputAndExitCode() {
        var r = BoundedProcess.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(5));
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        var e = assertThrows(NetskyException.class, r::stdoutOrThrow);
        assertTrue(e.getMessage().contains("err"));
    }

    @Test
    void killsAChildThatOverrunsItsDeadline() {
        long t0 = System.nanoTime();
        var e = assertThrows(NetskyException.class, () -> BoundedProcess.run(List.of("sleep", "30"), Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void missingBinarySaysSo() {
        var e = assertThrows(NetskyException.class, () -> BoundedProcess.run(List.of("netsky-no-such-binary"), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("is it installed"), e.getMessage());
    }
}
