package ai.netsky.peer;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The receiver's durable memory of what it has delivered, so a redelivery (after a crash, a broker
 * restart, or past JetStream's duplicate window) never doubles an envelope. One small file per
 * message under {@code ~/.netsky/state/peer/received/}, named by sender key and message id:
 * {@code pending} (the inbox file name is chosen, the write may or may not have happened) then
 * {@code done}. Recovery from {@code pending} looks for that exact file name, so it is idempotent.
 */
public final class ReceiptJournal {
    public enum State { PENDING, DONE }

    public record Receipt(String agent, String file, State state) {}

    private final NetskyPaths paths;
    private final Path dir;

    public ReceiptJournal(NetskyPaths paths) {
        this.paths = paths;
        this.dir = paths.stateDir().resolve("peer").resolve("received");
    }

    public Path dir() { return dir; }

    private Path fileFor(String fromKey, String msgId) {
        return dir.resolve(fromKey + "-" + msgId + ".json");
    }

    public Optional<Receipt> lookup(String fromKey, String msgId) {
        Path f = fileFor(fromKey, msgId);
        try {
            Map<?, ?> m = EnvelopeCodec.mapper().readValue(Files.readAllBytes(f), Map.class);
            return Optional.of(new Receipt(String.valueOf(m.get("agent")), String.valueOf(m.get("file")),
                    State.valueOf(String.valueOf(m.get("state")).toUpperCase(java.util.Locale.ROOT))));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new NetskyException("cannot read receipt " + f + ": " + e.getMessage() + "; inspect or remove it", e);
        }
    }

    public void record(String fromKey, String msgId, Receipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", r.agent());
        m.put("file", r.file());
        m.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("at", Timestamps.rfc3339Now());
        Path f = fileFor(fromKey, msgId);
        paths.ensureDir(dir);
        Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(EnvelopeCodec.mapper().writeValueAsBytes(m));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException notSupported) {
                // directory fsync is best effort
            }
        } catch (IOException e) {
            throw new NetskyException("cannot write receipt " + f + ": " + e.getMessage() + "; check the disk and permissions", e);
        }
    }

    /** Forgets receipts older than {@code age} (beyond it {@link PeerWire} refuses the message as stale anyway). */
    public int prune(Duration age) {
        Instant cutoff = Instant.now().minus(age);
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) n++;
            }
        } catch (NoSuchFileException none) {
            return 0;
        } catch (IOException e) {
            throw new NetskyException("cannot prune receipts in " + dir + ": " + e.getMessage(), e);
        }
        return n;
    }
}
