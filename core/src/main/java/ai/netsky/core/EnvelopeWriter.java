package ai.netsky.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way onto the bus (spec io.md §2.3–2.4). Every producer writes through here: validate,
 * write {@code .<name>.<attempt>.tmp}, fsync, hard-link to the final name (create-new, so exactly one
 * writer wins a name), unlink the tmp, fsync the directory. A reader never sees a partial file.
 */
public final class EnvelopeWriter {
    public static final int MAX_ATTEMPTS = 8;
    private static final AtomicLong SEQ = new AtomicLong();
    /** Last nanos used in a name: names from one process strictly increase even if the wall clock stalls or steps back. */
    private static final AtomicLong LAST_NANOS = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private final NetskyPaths paths;

    public EnvelopeWriter(NetskyPaths paths) {
        this.paths = paths;
    }

    /** Writes {@code env} into {@code to}'s inbox and returns the final path. */
    public Path send(AgentId to, Envelope env) {
        return write(paths.inbox(to), env);
    }

    /** netsky's {@code write_envelope(inbox, env)}; the inbox must lie under the channels root. */
    public Path write(Path inbox, Envelope env) {
        EnvelopeRules.validate(env);
        NetskyPaths.assertNoSymlinkUnder(paths.home(), inbox);
        paths.ensureDir(inbox);
        byte[] bytes = EnvelopeCodec.toJson(env);
        IOException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String name = buildFilename(env.from());
            Path tmp = inbox.resolve("." + name + "." + attempt + ".tmp");
            Path fin = inbox.resolve(name);
            try {
                writeDurably(tmp, bytes);
                try {
                    Files.createLink(fin, tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                fsyncDir(inbox);
                return fin;
            } catch (FileAlreadyExistsException collision) {
                last = collision;
            } catch (IOException e) {
                throw new NetskyException("cannot write envelope into " + inbox + ": " + e + "; check the disk and permissions", e);
            }
        }
        throw new NetskyException("cannot write envelope into " + inbox + ": " + MAX_ATTEMPTS
                + " name collisions in a row (" + last + "); the inbox looks wedged — inspect it");
    }

    /** {@code {nanos:020}-{pid:010}-{rand_hex:08}-{seq:010}-from-{from}.json} */
    public static String buildFilename(String from) {
        return String.format("%020d-%010d-%08x-%010d-from-%s.json",
                LAST_NANOS.accumulateAndGet(Timestamps.epochNanos(), (prev, now) -> Math.max(prev + 1, now)), PID, ThreadLocalRandom.current().nextInt(), SEQ.getAndIncrement(), from);
    }

    static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException notSupported) {
            // Some file systems refuse fsync on a directory; the link itself is already durable there.
        }
    }
}
