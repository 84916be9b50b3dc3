package ai.netsky.channels;

import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a channel consumer has already delivered, kept on disk so it survives a crash or restart:
 * the inbox file names (an envelope pushed but not yet moved to {@code processed/} when the process
 * died is moved, not pushed again) and the dedup keys ({@code idempotency_key}, else {@code id}) so a
 * retried envelope is delivered once. One append-only file, {@code ~/.netsky/state/<agent>-delivered.log},
 * a record per line: {@code f <name>} or {@code k <base64url(key)>}. Each record is one {@code write}
 * into the page cache, so it survives SIGKILL at once; {@link #sync} adds power-loss durability.
 */
public final class DeliveryLedger implements AutoCloseable {
    /** Compaction threshold: above this many records at start-up the file is rewritten. */
    static final int COMPACT_ABOVE = 200_000;
    /** Keys kept by a compaction (newest first): far more than any retry window needs. */
    static final int KEEP_KEYS = 100_000;

    private final Path file;
    private final Set<String> files = new HashSet<>();
    private final LinkedHashSet<String> keys = new LinkedHashSet<>();
    private final FileChannel channel;

    private DeliveryLedger(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the ledger; {@code stillPending} are inbox names whose file records must be kept by a compaction. */
    public static DeliveryLedger open(NetskyPaths paths, Path file, Set<String> stillPending) {
        paths.ensureDir(file.getParent());
        NetskyPaths.assertNoSymlinkUnder(paths.home(), file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            lines = List.of();
        } catch (IOException e) {
            throw new NetskyException("cannot read delivery ledger " + file + ": " + e.getMessage() + "; check its permissions", e);
        }
        Set<String> f = new HashSet<>();
        LinkedHashSet<String> k = new LinkedHashSet<>();
        for (String line : lines) {
            if (line.startsWith("f ")) f.add(line.substring(2));
            else if (line.startsWith("k ")) {
                try {
                    k.add(new String(Base64.getUrlDecoder().decode(line.substring(2)), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException torn) {
                    // a record torn by a crash mid-write: ignore it
                }
            }
        }
        if (lines.size() > COMPACT_ABOVE) {
            f.retainAll(stillPending);
            List<String> newest = new ArrayList<>(k);
            k = new LinkedHashSet<>(newest.subList(Math.max(0, newest.size() - KEEP_KEYS), newest.size()));
            rewrite(file, f, k);
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            DeliveryLedger ledger = new DeliveryLedger(file, ch);
            ledger.files.addAll(f);
            ledger.keys.addAll(k);
            return ledger;
        } catch (IOException e) {
            throw new NetskyException("cannot open delivery ledger " + file + ": " + e.getMessage() + "; check its permissions", e);
        }
    }

    private static void rewrite(Path file, Set<String> f, Set<String> k) {
        StringBuilder b = new StringBuilder();
        for (String name : f) b.append("f ").append(name).append('\n');
        for (String key : k) b.append("k ").append(encode(key)).append('\n');
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NetskyException("cannot compact delivery ledger " + file + ": " + e.getMessage(), e);
        }
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    public Path file() { return file; }

    public synchronized boolean deliveredFile(String name) {
        return files.contains(name);
    }

    public synchronized boolean seenKey(String key) {
        return key != null && keys.contains(key);
    }

    /** Records a delivery: the file name and (when present) the dedup key, in a single write. */
    public synchronized void record(String name, String key) {
        StringBuilder b = new StringBuilder("f ").append(name).append('\n');
        if (key != null) b.append("k ").append(encode(key)).append('\n');
        ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (buf.hasRemaining()) channel.write(buf);
        } catch (IOException e) {
            throw new NetskyException("cannot append to delivery ledger " + file + ": " + e.getMessage() + "; check the disk", e);
        }
        files.add(name);
        if (key != null) keys.add(key);
    }

    /** Forces the ledger to disk (power-loss durability; a process crash loses nothing without it). */
    public synchronized void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new NetskyException("cannot sync delivery ledger " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing an append-only file loses nothing
        }
    }
}
