package ai.netsky.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Shell quoting for pane commands, and finding executables on the effective PATH. */
public final class Sh {
    private Sh() {}

    /** POSIX single-quoting: the value reaches the program as one literal argument. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code name} on {@code env}'s PATH (or as given, when it contains a slash). */
    public static Optional<Path> which(String name, Map<String, String> env) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p.toAbsolutePath()) : Optional.empty();
        }
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path c = Path.of(dir, name);
            if (Files.isExecutable(c) && !Files.isDirectory(c)) return Optional.of(c.toAbsolutePath());
        }
        return Optional.empty();
    }
}
