package ai.netsky.peer;

import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code nats-server} child process on loopback with JetStream and a file store, for tests,
 * benchmarks and single-host use. {@link #stop} and {@link #start} keep the port and the store, so a
 * restart is the same broker coming back.
 */
public final class LocalNatsServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final List<String> extraConfig;
    private Process process;

    public LocalNatsServer(Path dir, List<String> extraConfig) {
        this.dir = dir;
        this.port = freePort();
        this.extraConfig = List.copyOf(extraConfig);
    }

    public int port() { return port; }
    public String url() { return (extraConfig.stream().anyMatch(l -> l.startsWith("tls")) ? "tls" : "nats") + "://127.0.0.1:" + port; }
    public Path logFile() { return dir.resolve("nats.log"); }

    public synchronized LocalNatsServer start() {
        if (process != null && process.isAlive()) return this;
        try {
            Files.createDirectories(dir.resolve("store"));
            List<String> conf = new ArrayList<>(List.of(
                    "listen: \"127.0.0.1:" + port + "\"",
                    "jetstream { store_dir: \"" + dir.resolve("store") + "\" }"));
            conf.addAll(extraConfig);
            Path confFile = dir.resolve("nats.conf");
            Files.write(confFile, conf);
            String bin = Files.isExecutable(Path.of("/usr/sbin/nats-server")) ? "/usr/sbin/nats-server" : "nats-server";
            process = new ProcessBuilder(bin, "-c", confFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new NetskyException("cannot start nats-server: " + e.getMessage() + "; install it (apt-get install nats-server)", e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new NetskyException("nats-server exited at start (code " + process.exitValue() + "); see " + logFile());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new NetskyException("nats-server did not listen on 127.0.0.1:" + port + " within " + READY_TIMEOUT.toSeconds() + " s; see " + logFile());
    }

    /** Graceful stop (SIGTERM), then SIGKILL after 10 s; the store stays for the next start. */
    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new NetskyException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
