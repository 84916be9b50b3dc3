package ai.netsky.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * sqlite-jdbc ships its native library inside the jar and, by default, copies it to {@code /tmp}
 * and checksums it (MD5 of ~1 MB, twice) on every JVM start. netsky starts a JVM for every command,
 * so the library is extracted once into {@code ~/.netsky/cache/} (keyed by the jar's size and mtime)
 * and later starts load it straight from there through {@code org.sqlite.lib.path}. Any problem
 * falls back to sqlite-jdbc's own loader ({@code -Dnetsky.sqlite.nativeCache=false} forces it: the
 * benchmark's baseline).
 */
final class NativeLib {
    private NativeLib() {}

    private static volatile boolean done;

    /** The cache lives in {@code ~/.netsky/cache} (0700, no symlinks on the way: a library is code). */
    static void prepare(ai.netsky.core.NetskyPaths paths) {
        if (done || System.getProperty("org.sqlite.lib.path") != null || "false".equals(System.getProperty("netsky.sqlite.nativeCache"))) return;
        synchronized (NativeLib.class) {
            if (done) return;
            done = true;
            try {
                var src = org.sqlite.JDBC.class.getProtectionDomain().getCodeSource();
                if (src == null) return;
                Path jar = Path.of(src.getLocation().toURI());
                if (!Files.isRegularFile(jar)) return;
                String name = System.mapLibraryName("sqlitejdbc");
                // OSInfo is what sqlite-jdbc itself uses to pick the folder (handles musl, arm flavours).
                String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
                String key = "sqlite-jdbc-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + "-" + folder.replace('/', '_');
                Path dir = paths.netskyHome().resolve("cache").resolve(key);
                Path lib = dir.resolve(name);
                paths.ensureDir(dir);
                if (Files.isSymbolicLink(lib)) return;
                if (!Files.isRegularFile(lib, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
                        if (in == null) return;
                        Path tmp = Files.createTempFile(dir, ".lib", ".tmp");
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        // Atomic rename: a concurrent process sees either no file or the whole library.
                        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                System.setProperty("org.sqlite.lib.path", dir.toString());
                System.setProperty("org.sqlite.lib.name", name);
            } catch (IOException | RuntimeException | java.net.URISyntaxException | LinkageError e) {
                System.clearProperty("org.sqlite.lib.path");
                System.clearProperty("org.sqlite.lib.name");
                // sqlite-jdbc's default extraction still works; only start-up is slower.
            }
        }
    }
}
