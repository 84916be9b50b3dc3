package ai.netsky.cli;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.NetskyPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * An isolated netsky world for tests: its own HOME, TMUX_TMPDIR (so its own tmux server) and netsky
 * root, never the user's. Runs the CLI in-process ({@link #run}) or as a real process through
 * {@code bin/netsky} ({@link #exec}, for *IT end-to-end tests after {@code package}).
 */
public final class NetskyHarness implements AutoCloseable {
    public final Path base;
    public final Path home;
    public final Path tmuxTmp;
    public final Path root;
    private final Map<String, String> env = new HashMap<>();

    public NetskyHarness() {
        try {
            base = Files.createTempDirectory("netsky-test-");
            home = Files.createDirectories(base.resolve("home"));
            // tmux socket paths must stay short (sun_path ≤ 108 bytes): keep TMUX_TMPDIR near /tmp.
            tmuxTmp = Files.createTempDirectory(Path.of("/tmp"), "nt-");
            root = Files.createDirectories(base.resolve("root"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        // Child processes inherit the real environment under ours: pin XDG_CONFIG_HOME too (io allowlists live there).
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("TMUX_TMPDIR", tmuxTmp.toString());
        env.put("NETSKY_DIR", root.toString());
        env.put("TERM", "xterm-256color");
        env.put("LANG", "C.UTF-8");
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        env.put("NETSKY_NO_BUILD", "1");
    }

    public NetskyPaths paths() { return new NetskyPaths(home); }

    public Map<String, String> env() { return Map.copyOf(env); }

    public NetskyHarness withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Result of one CLI run. */
    public record Run(int exit, String out, String err) {}

    /** Runs the CLI in this JVM (fast; for command tests that need no separate process). */
    public Run run(String... args) {
        return runWithStdin(new byte[0], args);
    }

    public Run runWithStdin(byte[] stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8); var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, env, o, e, new java.io.ByteArrayInputStream(stdin));
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The repository root (holds bin/netsky), found upward from the test's working directory. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("bin/netsky"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("bin/netsky not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static Path netskyBin() {
        return repoRoot().resolve("bin/netsky");
    }

    /** Runs {@code bin/netsky args…} as a real process with this harness's environment. */
    public BoundedProcess.Result exec(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(netskyBin().toString());
        argv.addAll(List.of(args));
        return BoundedProcess.run(argv, timeout, env, root, null);
    }

    /** Runs a tmux command against this harness's private tmux server. */
    public BoundedProcess.Result tmux(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("tmux");
        argv.addAll(List.of(args));
        return BoundedProcess.run(argv, Duration.ofSeconds(10), env, root, null);
    }

    /** Polls {@code condition} until true or the deadline; fails naming what it waited for. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }

    /**
     * Tears the world down so nothing comes back: hooks off, then — holding the watchdog's lock so no
     * pass is in flight or can start — the tmux server killed and HOME removed, so a late pass (a
     * hook job tmux already started) finds no constellation to revive and no ticker to respawn.
     */
    @Override
    public void close() {
        try {
            tmux("set-hook", "-gu", "pane-died");
            tmux("set-hook", "-gu", "session-closed");
        } catch (RuntimeException ignored) {
            // No server was started.
        }
        Path lockFile = ai.netsky.core.WatchdogPaths.of(paths(), env).tickLock();
        try (var ch = Files.exists(lockFile) ? java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE) : null;
             var lock = ch == null ? null : awaitLock(ch)) {
            try {
                tmux("kill-server");
            } catch (RuntimeException ignored) {
                // No server was started.
            }
            deleteTree(base);
        } catch (IOException e) {
            deleteTree(base);
        }
        deleteTree(tmuxTmp);
    }

    private static java.nio.channels.FileLock awaitLock(java.nio.channels.FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                var lock = ch.tryLock();
                if (lock != null) return lock;
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                return null; // a pass in this JVM: it ends with the test
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null; // a hung pass: tear down anyway
    }

    static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: temp dirs are reaped by the OS anyway.
        }
    }
}
