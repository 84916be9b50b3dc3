package ai.netsky.channels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An agent channel server in a child JVM, with a {@link RawClient} on its stdio and stderr in a file. */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final RawClient client;
    final Path stderr;

    private ServerProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.client = new RawClient(process.getOutputStream(), process.getInputStream());
    }

    static ServerProcess start(Path home, String agent, String mode, Map<String, String> extraEnv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AgentServerMain.class.getName(), agent, mode));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("TMUX"); // never the tester's own tmux server
        pb.environment().putAll(extraEnv);
        Path err = home.resolve("server-" + System.nanoTime() + ".err");
        pb.redirectError(err.toFile());
        return new ServerProcess(pb.start(), err);
    }

    /**
     * SIGKILL: no shutdown hooks, no flush, no goodbye. Through the {@link ProcessHandle}, not
     * {@code Process.destroyForcibly()}: that one also closes our end of the child's stdout at once,
     * discarding what the child wrote into the pipe before it died (pushes it had already recorded as
     * delivered), and the reader then stops on "Stream closed". Here the pipe stays readable to EOF.
     */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("pid " + process.pid() + " still alive 10 s after SIGKILL");
    }

    String stderrText() {
        try {
            return java.nio.file.Files.readString(stderr);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) kill();
    }
}
