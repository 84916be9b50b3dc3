package ai.netsky.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Small file helpers the commands share. */
final class NetskyFiles {
    private NetskyFiles() {}

    /** Deletes a scratch tree netsky created itself; best effort (leftovers live under the temp dir). */
    static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // Best effort.
                }
            });
        } catch (IOException ignored) {
            // Already gone.
        }
    }
}
