package ai.netsky.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Whole-file replacement that a reader never sees half-done: write a temp file beside the target,
 * fsync it, rename it over the target, fsync the directory. An existing file keeps its permissions;
 * a symlink target is refused (netsky never writes through symlinks).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void replace(Path target, String text) {
        replace(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static void replace(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(abs)) {
            throw new NetskyException("refusing to write " + abs + ": it is a symlink; replace it with a regular file");
        }
        Path dir = abs.getParent();
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Set<PosixFilePermission> perms = null;
            try {
                if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) perms = Files.getPosixFilePermissions(abs, LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException noPosix) {
                perms = null;
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            if (perms != null) Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException odd) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDir(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Leftover temp file: harmless, named so it is recognisable.
            }
            throw new NetskyException("cannot write " + abs + ": " + e.getMessage() + "; check the permissions of " + dir, e);
        }
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some file systems cannot fsync a directory; the rename is still atomic.
        }
    }
}
