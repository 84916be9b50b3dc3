package ai.netsky.lifecycle.stub;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The built-in scripted agent that runs in a pane ({@code netsky stub-agent}). It exercises the paths
 * a real agent does and prints, in its pane, what it received and did:
 * <ul>
 *   <li>{@code ping} → replies {@code pong};
 *   <li>{@code shutdown} → acks ({@code kind shutdown_ack}, {@code in_reply_to} = the id) and exits 0;
 *   <li>{@code handoff} → acknowledges it ({@code kind ack});
 *   <li>anything with {@code requires_ack} or addressed as a brief → a short {@code ack};
 * </ul>
 * Once its transport is connected it touches {@code state/<agent>-ready} (for agentinfinity that is
 * {@code agentinfinity-ready}, the marker agentinit waits for).
 */
public final class StubAgent {
    public static final String SHUTDOWN = "shutdown";
    public static final String SHUTDOWN_ACK = "shutdown_ack";

    private final AgentId self;
    private final StubTransport transport;
    private final Path readyMarker;
    private final PrintStream out;

    public StubAgent(AgentId self, StubTransport transport, Path readyMarker, PrintStream out) {
        this.self = self;
        this.transport = transport;
        this.readyMarker = readyMarker;
        this.out = out;
    }

    private void say(String s) {
        say(self, out, s);
    }

    /** One pane line: {@code [stub agent3 <utc>] …}. */
    public static void say(AgentId self, PrintStream out, String s) {
        synchronized (out) {
            out.println("[stub " + self + " " + Timestamps.utcSeconds(java.time.Instant.now()) + "] " + s);
            out.flush();
        }
    }

    /** Runs until a shutdown envelope (returns 0) or until {@code maxRun} elapses (returns 0). */
    public int run(Duration maxRun) {
        say("booting (transport " + transport.name() + ")");
        transport.start();
        try {
            Files.writeString(readyMarker, Timestamps.rfc3339Now() + "\n");
        } catch (IOException e) {
            throw new NetskyException("cannot write ready marker " + readyMarker + ": " + e.getMessage(), e);
        }
        say("ready; waiting for messages");
        long deadline = System.nanoTime() + maxRun.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StubTransport.Inbound> next = transport.next(Duration.ofMillis(500));
            if (next.isEmpty()) continue;
            if (handle(next.get())) {
                say("exiting after shutdown ack");
                return 0;
            }
        }
        return 0;
    }

    /** Handles one message; true when the agent must exit. A failed answer is shown, never fatal (except for shutdown). */
    boolean handle(StubTransport.Inbound m) {
        try {
            return answer(m);
        } catch (RuntimeException e) {
            say("could not answer " + m.from() + ": " + e.getMessage());
            return SHUTDOWN.equals(m.kind());
        }
    }

    private boolean answer(StubTransport.Inbound m) {
        String kind = m.kind() == null ? "" : m.kind();
        String text = m.text() == null ? "" : m.text();
        say("received from " + m.from() + (kind.isEmpty() ? "" : " (kind " + kind + ")") + (m.id() == null ? "" : " id " + m.id()) + ": " + preview(text));
        if (kind.equals(SHUTDOWN)) {
            transport.reply(m, SHUTDOWN_ACK, "shutdown ack");
            say("acked shutdown to " + m.from());
            return true;
        }
        if (kind.equals("handoff")) {
            transport.reply(m, "ack", "handoff received - " + self);
            say("acknowledged handoff from " + m.from());
            return false;
        }
        if (text.strip().toLowerCase(Locale.ROOT).equals("ping")) {
            transport.reply(m, "reply", "pong");
            say("replied pong to " + m.from());
            return false;
        }
        if (kind.equals("shutdown_ack") || kind.equals("ack") || kind.equals("reply")) {
            say("noted (no answer to a " + kind + ")");
            return false;
        }
        transport.reply(m, "ack", "stub " + self + " received: " + preview(text));
        say("acked message from " + m.from());
        return false;
    }

    static String preview(String s) {
        String one = s.replace('\n', ' ').strip();
        return one.length() > 120 ? one.substring(0, 120) + "…" : one;
    }
}
