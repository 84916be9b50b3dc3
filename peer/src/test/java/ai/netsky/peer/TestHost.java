package ai.netsky.peer;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** One netsky home (a "host") with its key, allowlist and, when started, its bridge. */
final class TestHost implements AutoCloseable {
    final String name;
    final NetskyPaths paths;
    final PeerIdentity identity;
    final Path allowlistFile;
    private final PeerSettings settings;
    PeerBridge bridge;

    TestHost(String name, Path base, PeerSettings settings) throws IOException {
        this.name = name;
        this.paths = new NetskyPaths(Files.createDirectories(base.resolve(name)));
        this.identity = PeerIdentity.loadOrCreate(paths, PeerIdentity.keyFile(paths, Map.of()));
        this.allowlistFile = PeerAllowlist.file(paths, Map.of());
        this.settings = settings;
    }

    void allow(String label, TestHost other) {
        PeerAllowlist.load(allowlistFile).with(label, other.identity.publicKey()).save(paths);
    }

    /** The bridge's log, also echoed to the test's output (surefire keeps it in target/surefire-reports). */
    PeerLog log() {
        String prefix = name + " ";
        return new PeerLog(paths, new java.io.PrintStream(System.out, true) {
            @Override
            public void println(String x) {
                super.println(prefix + x);
            }
        });
    }

    TestHost startBridge() {
        bridge = new PeerBridge(paths, identity, settings, new AllowlistSource(allowlistFile), log()).start();
        await("bridge of " + name + " connected", Duration.ofSeconds(20), () -> bridge.ready());
        return this;
    }

    void stopBridge() {
        if (bridge != null) bridge.close();
        bridge = null;
    }

    List<Envelope> inbox(String agent) {
        List<Envelope> out = new ArrayList<>();
        for (Path p : new Inbox(paths, AgentId.of(agent)).pending()) {
            try {
                out.add(EnvelopeCodec.parse(Files.readAllBytes(p)));
            } catch (IOException | EnvelopeCodec.MalformedEnvelopeException e) {
                throw new AssertionError("unreadable inbox file " + p + ": " + e);
            }
        }
        return out;
    }

    int outboxPending() {
        return PeerBridge.outbox(paths).pending().size();
    }

    String logText() throws IOException {
        Path f = log().file();
        return Files.exists(f) ? Files.readString(f) : "";
    }

    static void await(String what, Duration timeout, BooleanSupplier cond) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        stopBridge();
    }
}
