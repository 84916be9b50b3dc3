package ai.netsky.peer;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The receiver's memory of what it has delivered: one small file per message under
 * {@code ~/.netsky/state/peer/received/}, named by sender key and message id. The first line of
 * defence against doubling is the inbox file name itself ({@link PeerWire.Accepted#inboxName}, fixed
 * by the message, written create-new); this record also covers envelopes an agent has since moved out
 * of {@code inbox/} and {@code processed/}. It is written after the envelope, without an fsync of its
 * own: if a crash loses it, the name check still holds.
 */
public final class ReceiptJournal {
    public record Receipt(String agent, String file) {}

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
            return Optional.of(new Receipt(String.valueOf(m.get("agent")), String.valueOf(m.get("file"))));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            // A receipt torn by a crash (it is written without fsync) counts as absent: the inbox name check still holds.
            return Optional.empty();
        }
    }

    public void record(String fromKey, String msgId, Receipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", r.agent());
        m.put("file", r.file());
        m.put("at", Timestamps.rfc3339Now());
        Path f = fileFor(fromKey, msgId);
        paths.ensureDir(dir);
        Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
        try {
            Files.write(tmp, EnvelopeCodec.mapper().writeValueAsBytes(m));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
