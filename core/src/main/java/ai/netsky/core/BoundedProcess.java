package ai.netsky.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process with a deadline (netsky's {@code process::run_bounded}): a hung child once
 * stalled the ticker heartbeat, so every child netsky starts is bounded and killed on timeout.
 */
public final class BoundedProcess {
    private BoundedProcess() {}

    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        public boolean ok() { return exitCode == 0; }

        /** Returns stdout, or throws naming the command and carrying its stderr. */
        public String stdoutOrThrow() {
            if (ok()) return stdout;
            throw new NetskyException("`" + String.join(" ", argv) + "` failed (exit " + exitCode + "): " + stderr.strip());
        }
    }

    /** The child outlived its deadline and was killed (callers that must say why, e.g. a wedged app, catch this). */
    public static final class TimedOut extends NetskyException {
        public TimedOut(String message) {
            super(message);
        }
    }

    public static Result run(List<String> argv, Duration timeout) {
        return run(argv, timeout, null, null, null);
    }

    /**
     * @param env extra environment (added to the inherited one), may be null
     * @param cwd working directory, may be null
     * @param stdin bytes for the child's stdin, may be null (stdin then closed at once)
     */
    public static Result run(List<String> argv, Duration timeout, Map<String, String> env, Path cwd, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(resolveOnPath(argv, env));
        if (env != null) pb.environment().putAll(env);
        if (cwd != null) pb.directory(cwd.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new NetskyException("cannot run `" + argv.get(0) + "`: " + e.getMessage() + "; is it installed and on PATH?", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread tOut = pump(p.getInputStream(), out);
        Thread tErr = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException closedEarly) {
            // The child exited without reading its input; its exit status tells the story.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                throw new TimedOut("`" + String.join(" ", argv) + "` did not finish within " + timeout.toMillis() + " ms; killed it");
            }
            tOut.join(2000);
            tErr.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NetskyException("interrupted while waiting for `" + argv.get(0) + "`", e);
        }
        return new Result(List.copyOf(argv), p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * The JVM looks a bare command name up on its own PATH, not the child's; netsky's effective PATH
     * (from ~/.env, or a test's) must win, so resolve it against {@code env}'s PATH first.
     */
    static List<String> resolveOnPath(List<String> argv, Map<String, String> env) {
        String cmd = argv.get(0);
        if (env == null || cmd.contains("/") || env.get("PATH") == null) return argv;
        for (String dir : env.get("PATH").split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, cmd);
            if (java.nio.file.Files.isExecutable(candidate) && !java.nio.file.Files.isDirectory(candidate)) {
                List<String> resolved = new java.util.ArrayList<>(argv);
                resolved.set(0, candidate.toString());
                return resolved;
            }
        }
        return argv;
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        return Thread.ofVirtual().start(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // The stream closes when the child is killed; what was read so far is kept.
            }
        });
    }
}
