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

    /**
     * Writes {@code env} to a bus address: a local agent's inbox, or, for {@code <agent>@<peer>}, the
     * peer outbox that the bridge ({@code netsky io serve --source peer}) drains, so a send works while
     * the bridge or the broker is down. {@code to} is set to the address.
     */
    public Path deliver(String address, Envelope env) {
        if (!EnvelopeRules.isValidAddress(address)) {
            throw new EnvelopeRules.InvalidEnvelopeException("invalid recipient '" + AgentId.printable(address)
                    + "': use an agent id like agent0, agent3 or agentinfinity, or <agent>@<peer> for another host");
        }
        Envelope addressed = env.withTo(address);
        if (address.indexOf('@') >= 0) return write(paths.peerOutbox(), addressed);
        return send(AgentId.of(address), addressed);
    }

    /** netsky's {@code write_envelope(inbox, env)}; the inbox must lie under the channels root. */
    public Path write(Path inbox, Envelope env) {
        EnvelopeRules.validate(env);
        NetskyPaths.assertNoSymlinkUnder(paths.home(), inbox);
        paths.ensureDir(inbox);
        byte[] bytes = checkedJson(env);
        FileAlreadyExistsException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String name = buildFilename(env.from());
            try {
                return link(inbox, name, attempt, bytes, false);
            } catch (FileAlreadyExistsException collision) {
                last = collision;
            }
        }
        throw new NetskyException("cannot write envelope into " + inbox + ": " + MAX_ATTEMPTS
                + " name collisions in a row (" + last + "); the inbox looks wedged — inspect it");
    }

    /**
     * Writes {@code env} under a name chosen beforehand (from {@link #buildFilename}), for consumers
     * that must be idempotent: returns false, writing nothing, when {@code name} already exists.
     */
    public boolean writeAs(Path inbox, String name, Envelope env) {
        EnvelopeRules.validate(env);
        if (name.startsWith(".") || !name.endsWith(".json") || name.contains("/")) {
            throw new NetskyException("invalid envelope file name '" + AgentId.printable(name) + "': use EnvelopeWriter.buildFilename");
        }
        NetskyPaths.assertNoSymlinkUnder(paths.home(), inbox);
        paths.ensureDir(inbox);
        try {
            link(inbox, name, 0, checkedJson(env), true);
            return true;
        } catch (FileAlreadyExistsException exists) {
            return false;
        }
    }

    /** The JSON, refused when a reader would quarantine it as over the file cap (escapes can inflate text several-fold). */
    private static byte[] checkedJson(Envelope env) {
        byte[] bytes = EnvelopeCodec.toJson(env);
        if (bytes.length > EnvelopeRules.MAX_ENVELOPE_BYTES) {
            throw new EnvelopeRules.InvalidEnvelopeException("envelope is " + bytes.length + " bytes as JSON, over the "
                    + EnvelopeRules.MAX_ENVELOPE_BYTES + "-byte cap: send a shorter message, or a path to a file");
        }
        return bytes;
    }

    private static Path link(Path inbox, String name, int attempt, byte[] bytes, boolean fixedName) throws FileAlreadyExistsException {
        Path tmp = inbox.resolve("." + name + "." + attempt + ".tmp");
        Path fin = inbox.resolve(name);
        try {
            if (fixedName) Files.deleteIfExists(tmp); // a crashed writer's leftover under this exact name
            writeDurably(tmp, bytes);
            try {
                Files.createLink(fin, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            fsyncDir(inbox);
            return fin;
        } catch (FileAlreadyExistsException collision) {
            throw collision;
        } catch (IOException e) {
            throw new NetskyException("cannot write envelope into " + inbox + ": " + e + "; check the disk and permissions", e);
        }
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
