package ai.netsky.peer;

import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bridge's log: each line goes to {@code ~/.netsky/logs/peer.log} (timestamped) and, as
 * {@code [netsky io peer] …}, to the given stream. Refusals are always logged with their reason.
 */
public final class PeerLog {
    private final NetskyPaths paths;
    private final Path file;
    private final PrintStream out;

    public PeerLog(NetskyPaths paths, PrintStream out) {
        this.paths = paths;
        this.file = paths.logsDir().resolve("peer.log");
        this.out = out;
    }

    public Path file() { return file; }

    public synchronized void info(String message) {
        if (out != null) out.println("[netsky io peer] " + message);
        try {
            paths.ensureDir(file.getParent());
            Files.writeString(file, Timestamps.rfc3339Now() + " " + message + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            if (out != null) out.println("[netsky io peer] (cannot append to " + file + ": " + e.getMessage() + ")");
        }
    }
}
