package ai.netsky.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The consuming side of one agent's channel directory: {@code inbox/} (pending, read in filename
 * order), {@code processed/} (delivered), {@code quarantine/} (malformed, each with a reason file).
 * Nothing found in an inbox is ever deleted: it is delivered or quarantined.
 */
public final class Inbox {
    private final NetskyPaths paths;
    private final AgentId agent; // null for a directory that is not an agent's (e.g. the peer outbox)
    private final Path pendingDir;
    private final Path processedDir;
    private final Path quarantineDir;

    public Inbox(NetskyPaths paths, AgentId agent) {
        this(paths, agent, paths.inbox(agent), paths.processed(agent), paths.quarantine(agent));
    }

    private Inbox(NetskyPaths paths, AgentId agent, Path pendingDir, Path processedDir, Path quarantineDir) {
        this.paths = paths;
        this.agent = agent;
        this.pendingDir = pendingDir;
        this.processedDir = processedDir;
        this.quarantineDir = quarantineDir;
    }

    /** The same discipline over other directories under HOME, e.g. the peer outbox with its sent/ and quarantine/. */
    public static Inbox at(NetskyPaths paths, Path pendingDir, Path processedDir, Path quarantineDir) {
        return new Inbox(paths, null, pendingDir, processedDir, quarantineDir);
    }

    /** The agent this inbox belongs to, or null for {@link #at} directories. */
    public AgentId agent() { return agent; }
    public Path dir() { return pendingDir; }
    public Path processedDir() { return processedDir; }
    public Path quarantineDir() { return quarantineDir; }

    /** One file read from the inbox. */
    public sealed interface Item permits Ready, Malformed {
        Path path();
    }

    public record Ready(Path path, Envelope envelope) implements Item {}

    public record Malformed(Path path, String reason) implements Item {}

    /** Pending envelope files, sorted by name; dot-files (in-flight tmp files) and non-.json skipped. */
    public List<Path> pending() {
        Path dir = dir();
        NetskyPaths.assertNoSymlinkUnder(paths.home(), dir);
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !n.endsWith(".json")) continue;
                out.add(p);
            }
        } catch (NoSuchFileException none) {
            return List.of();
        } catch (IOException e) {
            throw new NetskyException("cannot list inbox " + dir + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** Reads one pending file. A vanished file (another consumer took it) yields {@code null}. */
    public Item read(Path file) {
        try {
            if (Files.isSymbolicLink(file)) return new Malformed(file, "is a symlink; netsky never follows links in an inbox");
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return new Malformed(file, "is not a regular file");
            long size = Files.size(file);
            if (size > EnvelopeRules.MAX_ENVELOPE_BYTES) {
                return new Malformed(file, "file is " + size + " bytes, over the " + EnvelopeRules.MAX_ENVELOPE_BYTES + "-byte cap");
            }
            Envelope env = EnvelopeCodec.parse(Files.readAllBytes(file));
            try {
                EnvelopeRules.validate(env);
            } catch (EnvelopeRules.InvalidEnvelopeException bad) {
                return new Malformed(file, bad.getMessage());
            }
            return new Ready(file, env);
        } catch (NoSuchFileException gone) {
            return null;
        } catch (EnvelopeCodec.MalformedEnvelopeException bad) {
            return new Malformed(file, bad.getMessage());
        } catch (IOException e) {
            throw new NetskyException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Moves a delivered envelope to {@code processed/}. Returns false if someone else already moved it. */
    public boolean markProcessed(Path file) {
        return moveInto(file, processedDir);
    }

    /** Moves a malformed file to {@code quarantine/} and writes {@code <name>.reason.txt} beside it. */
    public boolean quarantine(Path file, String reason) {
        Path qdir = paths.ensureDir(quarantineDir);
        boolean moved = moveInto(file, qdir);
        if (moved) {
            String note = "file: " + file.getFileName() + "\nquarantined_at: " + Timestamps.rfc3339Now() + "\nreason: " + reason + "\n";
            try {
                Files.writeString(qdir.resolve(file.getFileName() + ".reason.txt"), note, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new NetskyException("quarantined " + file.getFileName() + " but could not write its reason file: " + e.getMessage(), e);
            }
        }
        return moved;
    }

    /** Removes tmp files a crashed writer left behind (older than {@code age}). */
    public int collectStaleTmp(Duration age) {
        int removed = 0;
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(), ".*.tmp")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) removed++;
            }
        } catch (NoSuchFileException none) {
            return 0;
        } catch (IOException e) {
            throw new NetskyException("cannot clean tmp files in " + dir() + ": " + e.getMessage(), e);
        }
        return removed;
    }

    private boolean moveInto(Path file, Path dir) {
        paths.ensureDir(dir);
        Path target = dir.resolve(file.getFileName());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (AtomicMoveNotSupportedException cross) {
            throw new NetskyException("cannot move " + file + " to " + dir + ": not on one file system; keep ~/.netsky on a single disk", cross);
        } catch (IOException e) {
            throw new NetskyException("cannot move " + file + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The block an agent sees, as Claude Code renders a channel push: attributes plus an escaped body. */
    public static String renderChannelBlock(String source, Envelope env) {
        StringBuilder b = new StringBuilder("<channel source=\"").append(source).append('"');
        b.append(" from=\"").append(EnvelopeRules.xmlEscapeBody(env.from())).append('"');
        b.append(" chat_id=\"").append(EnvelopeRules.xmlEscapeBody(env.from())).append('"');
        if (env.id() != null) b.append(" id=\"").append(EnvelopeRules.xmlEscapeBody(env.id())).append('"');
        if (env.kind() != null) b.append(" kind=\"").append(EnvelopeRules.xmlEscapeBody(env.kind())).append('"');
        if (env.thread() != null) b.append(" thread=\"").append(EnvelopeRules.xmlEscapeBody(env.thread())).append('"');
        b.append(" ts=\"").append(EnvelopeRules.xmlEscapeBody(env.ts())).append("\">");
        b.append(EnvelopeRules.xmlEscapeBody(env.text())).append("</channel>");
        return b.toString();
    }
}
