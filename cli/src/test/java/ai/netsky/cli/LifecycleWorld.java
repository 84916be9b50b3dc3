package ai.netsky.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A {@link NetskyHarness} whose panes can run netsky before {@code package}: NETSKY_BIN is a small
 * script that starts this test JVM's class path ({@code ai.netsky.cli.Main}), so stub agents, the
 * agent channel server and the ticker run the code under test as real processes in real tmux.
 */
final class LifecycleWorld {
    private LifecycleWorld() {}

    static Path netskyScript(NetskyHarness h) {
        Path bin = h.base.resolve("bin/netsky");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' ai.netsky.cli.Main \"$@\"\n";
        try {
            Files.createDirectories(bin.getParent());
            Files.writeString(bin, script);
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bin;
    }

    /** A harness with NETSKY_BIN set, bounded readiness and graceful waits. */
    static NetskyHarness create() {
        NetskyHarness h = new NetskyHarness();
        h.withEnv("NETSKY_BIN", netskyScript(h).toString());
        h.withEnv("NETSKY_TMP", h.base.resolve("tmp").toString());
        h.withEnv("NETSKY_READY_TIMEOUT_S", "60");
        h.withEnv("NETSKY_GRACEFUL_TIMEOUT_S", "30");
        try {
            Files.createDirectories(h.base.resolve("tmp"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return h;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    /** Every pending or processed envelope file of an agent, as text (the agent's own channel moves them). */
    static String allMail(NetskyHarness h, String agent) {
        StringBuilder b = new StringBuilder();
        var paths = h.paths();
        var id = ai.netsky.core.AgentId.of(agent);
        for (Path dir : new Path[] {paths.inbox(id), paths.processed(id)}) {
            try (var s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).forEach(p -> b.append(read(p)).append('\n'));
            } catch (IOException none) {
                // not created yet
            }
        }
        return b.toString();
    }
}
