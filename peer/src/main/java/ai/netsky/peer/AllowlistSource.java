package ai.netsky.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The allowlist as the running bridge sees it: re-read whenever the file changes, so
 * {@code netsky io peer add|remove} takes effect without a restart. A file that becomes malformed
 * throws (the caller refuses the message: fail closed).
 */
public final class AllowlistSource {
    private final Path file;
    private PeerAllowlist cached;
    private Object stamp;

    public AllowlistSource(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    public synchronized PeerAllowlist current() {
        Object now = stamp();
        if (cached == null || !now.equals(stamp)) {
            cached = PeerAllowlist.load(file);
            stamp = now;
        }
        return cached;
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
        } catch (NoSuchFileException absent) {
            return "absent";
        } catch (IOException e) {
            return "error:" + e.getMessage();
        }
    }
}
