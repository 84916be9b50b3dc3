package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.tmux.SessionOps;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky down [--force]} — tear down agent0 + clones; leaves agentinfinity and the ticker
 * alone (a port of netsky 0.1.7 {@code cmd/down.rs}, the seed). Targets only {@code agent<digits>}
 * sessions; sends each a {@code shutdown} envelope ({@code requires_ack}), waits up to the graceful
 * timeout (poll 1 s) for it to close or ack, then kills what is left. {@code --force} kills at once.
 */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Tear down agent0 and the clones (agentinfinity and the ticker stay up).",
                "Each agent gets a shutdown envelope and up to tuning.graceful_timeout_s (60 s) to ack or close."})
public final class DownCommand implements Runnable {
    static final Duration GRACEFUL_POLL = Duration.ofSeconds(1);
    static final String SHUTDOWN_KIND = "shutdown";
    static final String SHUTDOWN_ACK_KIND = "shutdown_ack";

    private final CliContext ctx;

    DownCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--force", description = "Kill every agent session at once, without shutdown envelopes.")
    boolean force;

    @Override
    public void run() {
        var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        // Contract 5: the watchdog must not revive what the owner took down on purpose.
        ctx.paths().ensureDir(ctx.paths().stateDir());
        try {
            Files.writeString(wd.downIntent(), Timestamps.rfc3339Now() + "\n");
        } catch (IOException e) {
            throw new NetskyException("cannot write " + wd.downIntent() + ": " + e.getMessage());
        }
        Duration timeout = Duration.ofSeconds(Math.max(0, ctx.config().integer(ConfigKey.GRACEFUL_TIMEOUT_S, null)));
        List<String> targets = filterAgentSessions(ctx.tmux().listSessions());
        try {
            runWith(ctx.tmux(), new FsShutdownChannel(ctx.paths()), force, timeout, GRACEFUL_POLL, ctx.out());
        } finally {
            // netsky records SessionEvent::Down for agent0 (session 0) on every `down`, even when nothing ran.
            ctx.record(new ai.netsky.store.Event.Session(java.time.Instant.now(), "agent0", 0, ai.netsky.store.Event.SessionKind.DOWN,
                    (force ? "--force; " : "graceful; ") + (targets.isEmpty() ? "no agent sessions running" : "targets: " + String.join(", ", targets))));
        }
    }

    static void runWith(SessionOps sessions, ShutdownChannel channel, boolean force, Duration timeout, Duration poll, PrintStream out) {
        List<String> targets = filterAgentSessions(sessions.listSessions());
        if (targets.isEmpty()) {
            out.println("[netsky down] no agent sessions running");
            return;
        }
        if (force) {
            forceKill(sessions, targets, out);
            return;
        }
        List<ShutdownRequest> requests = sendShutdownRequests(channel, targets, out);
        for (AgentShutdownOutcome outcome : waitForGracefulCloses(sessions, channel, requests, timeout, poll)) {
            String name = outcome.agent();
            switch (outcome.outcome()) {
                case CLOSED -> out.println("[netsky down] '" + name + "' closed gracefully");
                case ACKED -> {
                    out.println("[netsky down] '" + name + "' acked shutdown; killing remaining tmux session");
                    sessions.killSession(name);
                    out.println("[netsky down] killed '" + name + "' after shutdown ack");
                }
                case TIMED_OUT -> {
                    out.println("[netsky down] '" + name + "' did not close within " + timeout.toSeconds() + "s; forcing kill");
                    sessions.killSession(name);
                    out.println("[netsky down] killed '" + name + "' after graceful timeout");
                }
            }
        }
    }

    static List<ShutdownRequest> sendShutdownRequests(ShutdownChannel channel, List<String> targets, PrintStream out) {
        List<ShutdownRequest> requests = new ArrayList<>();
        for (String name : targets) {
            String requestId = "shutdown-" + name + "-" + Timestamps.epochNanos();
            channel.sendShutdown(name, requestId);
            out.println("[netsky down] requested graceful shutdown for '" + name + "'");
            requests.add(new ShutdownRequest(name, requestId));
        }
        return requests;
    }

    static void forceKill(SessionOps sessions, List<String> targets, PrintStream out) {
        for (String name : targets) {
            sessions.killSession(name);
            out.println("[netsky down] killed '" + name + "'");
        }
    }

    static List<AgentShutdownOutcome> waitForGracefulCloses(SessionOps sessions, ShutdownChannel channel, List<ShutdownRequest> requests,
                                                            Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ShutdownOutcome[] outcomes = new ShutdownOutcome[requests.size()];
        while (true) {
            for (int i = 0; i < requests.size(); i++) {
                if (outcomes[i] != null) continue;
                ShutdownRequest r = requests.get(i);
                if (!sessions.hasSession(r.agent())) {
                    outcomes[i] = ShutdownOutcome.CLOSED;
                    continue;
                }
                if (channel.hasShutdownAck(r.agent(), r.requestId())) outcomes[i] = ShutdownOutcome.ACKED;
            }
            if (Arrays.stream(outcomes).allMatch(o -> o != null)) break;
            if (System.nanoTime() - deadline >= 0) {
                for (int i = 0; i < outcomes.length; i++) if (outcomes[i] == null) outcomes[i] = ShutdownOutcome.TIMED_OUT;
                break;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NetskyException("interrupted while waiting for agents to shut down");
            }
        }
        List<AgentShutdownOutcome> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) out.add(new AgentShutdownOutcome(requests.get(i).agent(), outcomes[i]));
        return out;
    }

    record ShutdownRequest(String agent, String requestId) {}

    record AgentShutdownOutcome(String agent, ShutdownOutcome outcome) {}

    enum ShutdownOutcome { CLOSED, ACKED, TIMED_OUT }

    /** The bus side of down, behind a small interface so the flow is unit-tested with fakes. */
    interface ShutdownChannel {
        void sendShutdown(String target, String requestId);

        boolean hasShutdownAck(String target, String requestId);
    }

    /** Envelopes in {@code ~/.netsky/channels/agent/<agent>/inbox}. */
    static final class FsShutdownChannel implements ShutdownChannel {
        private final NetskyPaths paths;
        private final EnvelopeWriter writer;

        FsShutdownChannel(NetskyPaths paths) {
            this.paths = paths;
            this.writer = new EnvelopeWriter(paths);
        }

        @Override
        public void sendShutdown(String target, String requestId) {
            Envelope env = Envelope.now(Names.AGENT0, "shutdown: please /down")
                    .withId(requestId).withTo(target).withKind(SHUTDOWN_KIND).withRequiresAck(true);
            writer.send(AgentId.of(target), env);
        }

        /**
         * Scans agent0's inbox — and its {@code processed/}, because agent0's own channel server may
         * deliver (and so move) an ack before this poll sees it.
         */
        @Override
        public boolean hasShutdownAck(String target, String requestId) {
            for (Path dir : List.of(paths.inbox(AgentId.AGENT0), paths.processed(AgentId.AGENT0))) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
                    for (Path p : ds) {
                        if (p.getFileName().toString().startsWith(".")) continue;
                        Inbox.Item item = new Inbox(paths, AgentId.AGENT0).read(p);
                        if (item instanceof Inbox.Ready r && isShutdownAck(r.envelope(), target, requestId)) return true;
                    }
                } catch (NoSuchFileException none) {
                    // No inbox yet: no ack.
                } catch (IOException e) {
                    return false;
                }
            }
            return false;
        }
    }

    static boolean isShutdownAck(Envelope env, String target, String requestId) {
        if (!target.equals(env.from())) return false;
        if (SHUTDOWN_ACK_KIND.equals(env.kind()) && requestId.equals(env.inReplyTo())) return true;
        return env.text().toLowerCase(Locale.ROOT).contains("shutdown ack")
                && (requestId.equals(env.inReplyTo()) || requestId.equals(env.id()));
    }

    static List<String> filterAgentSessions(List<String> sessions) {
        return sessions.stream().filter(AgentId::isAgentSession).toList();
    }
}
