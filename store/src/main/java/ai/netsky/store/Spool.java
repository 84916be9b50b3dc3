package ai.netsky.store;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fallback when meta.db cannot be written: {@code ~/.netsky/logs/meta-db-errors-<UTC date>.jsonl},
 * one JSON object per failed row ({@code spool_id, ts, error, table, row}). Appends and claims both
 * hold {@code meta-db-errors.lock}, so an importer that renames a spool file away never races an
 * append into it; a claimed file is {@code <name>.<pid>.importing} until its rows are committed.
 */
public final class Spool {
    static final String PREFIX = "meta-db-errors-";
    /** Rows deferred on purpose (a command that ended before meta.db was open), not failures. */
    static final String JOURNAL_PREFIX = "meta-db-journal-";
    static final String SUFFIX = ".jsonl";
    static final String CLAIMED = ".importing";
    /** File locks are per process; threads of one JVM also serialise on this. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();

    private final NetskyPaths paths;
    private final String prefix;

    /** The error spool, {@code meta-db-errors-<date>.jsonl}. */
    public Spool(NetskyPaths paths) {
        this(paths, PREFIX);
    }

    private Spool(NetskyPaths paths, String prefix) {
        this.paths = paths;
        this.prefix = prefix;
    }

    /**
     * The journal, {@code meta-db-journal-<date>.jsonl}: same format and import as the spool, for
     * rows a process chose not to wait for (doctor does not count these as failures).
     */
    public static Spool journal(NetskyPaths paths) {
        return new Spool(paths, JOURNAL_PREFIX);
    }

    public Path dir() { return paths.logsDir(); }

    public Path fileFor(Instant t) {
        return dir().resolve(prefix + t.atOffset(ZoneOffset.UTC).toLocalDate() + SUFFIX);
    }

    /** One spooled row. */
    public record Entry(String spoolId, String ts, String error, String table, Map<String, Object> row) {}

    /** Appends the event's row; throws IOException when the file cannot be written. */
    public Path append(Event event, String why) throws IOException {
        return append(Rows.of(event), why);
    }

    /** Appends the row; throws IOException when even the spool cannot be written. */
    public Path append(Rows rows, String error) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("spool_id", UUID.randomUUID().toString());
        line.put("ts", rows.columns().get("ts_utc"));
        line.put("error", error);
        line.put("table", rows.table());
        line.put("row", rows.columns());
        byte[] bytes = (JsonLine.of(line) + "\n").getBytes(StandardCharsets.UTF_8);
        paths.ensureDir(dir());
        Path file = fileFor(Instant.now());
        NetskyPaths.assertNoSymlinkUnder(paths.home(), file);
        withLock(() -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                var buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
            }
            return null;
        });
        return file;
    }

    /** Spool files waiting for import (fresh ones and claims of importers that died). */
    public List<Path> pending() {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(), prefix + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX) || (n.endsWith(CLAIMED) && claimantGone(n))) out.add(p);
            }
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException none) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /** Number of spooled rows not yet imported (doctor's "spool empty" check). */
    public long pendingRows() {
        long n = 0;
        for (Path p : pending()) {
            try (var lines = Files.lines(p)) {
                n += lines.filter(l -> !l.isBlank()).count();
            } catch (IOException | java.io.UncheckedIOException e) {
                n++;
            }
        }
        return n;
    }

    private static boolean claimantGone(String name) {
        String base = name.substring(0, name.length() - CLAIMED.length());
        int dot = base.lastIndexOf('.');
        try {
            long pid = Long.parseLong(base.substring(dot + 1));
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return true;
        }
    }

    /** Renames pending spool files to claims owned by this process; returns the claims. */
    List<Path> claim() throws IOException {
        List<Path> pending = pending();
        if (pending.isEmpty()) return List.of();
        return withLock(() -> {
            List<Path> claims = new ArrayList<>();
            long pid = ProcessHandle.current().pid();
            for (Path p : pending()) {
                String n = p.getFileName().toString();
                if (n.endsWith(CLAIMED)) n = n.substring(0, n.lastIndexOf('.', n.length() - CLAIMED.length() - 1));
                Path claim = p.resolveSibling(n + "." + pid + CLAIMED);
                if (p.equals(claim)) {
                    claims.add(claim);
                    continue;
                }
                if (Files.exists(claim)) {
                    // Two files would map to one claim name (a date's fresh file and its dead claim): keep both.
                    claim = p.resolveSibling(n + "-" + System.nanoTime() + "." + pid + CLAIMED);
                }
                try {
                    Files.move(p, claim, StandardCopyOption.ATOMIC_MOVE);
                    claims.add(claim);
                } catch (NoSuchFileException raced) {
                    // Another importer claimed it first.
                }
            }
            return claims;
        });
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Entry parse(String line) {
        Map<String, Object> m = EnvelopeCodec.mapper().readValue(line, Map.class);
        Object row = m.get("row");
        if (!(row instanceof Map) || !(m.get("table") instanceof String t) || !(m.get("spool_id") instanceof String id)) {
            throw new IllegalArgumentException("spool line lacks spool_id, table or row");
        }
        return new Entry(id, String.valueOf(m.get("ts")), String.valueOf(m.get("error")), t, (Map<String, Object>) row);
    }

    private interface IoAction<T> {
        T run() throws IOException;
    }

    private <T> T withLock(IoAction<T> action) throws IOException {
        paths.ensureDir(dir());
        Path lockFile = dir().resolve("meta-db-errors.lock");
        IN_PROCESS.lock();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return action.run();
        } finally {
            IN_PROCESS.unlock();
        }
    }
}
