package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky restart [--handoff <file>]}: preflight, kill agent0 and the clones (never
 * agentinfinity), respawn them through the shared spawn path, deliver the handoff to agent0 and
 * archive it, and record the outcome under {@code ~/.netsky/state/restart-status/}. An owner-run
 * restart also clears stale crash-loop state for agent0: the owner's action overrides old markers.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = {"Restart agent0 and the clones (never agentinfinity) and hand agent0 its handoff.",
                "Exit 1 when agent0 is not ready afterwards (degraded)."})
public final class RestartCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext ctx;

    RestartCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--handoff", paramLabel = "<file>", description = "Handoff note delivered to the new agent0 (the watchdog passes the claimed request).")
    Path handoff;

    @Override
    public Integer call() {
        var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        var constellation = new TmuxConstellation(ctx, wd);
        var tmux = ctx.tmux();
        // Preflight before anything is torn down.
        if (!tmux.available()) throw new NetskyException("restart preflight: tmux is not installed; install it and retry (nothing was stopped)");
        String note = null;
        if (handoff != null) {
            try {
                note = Files.readString(handoff);
            } catch (IOException e) {
                throw new NetskyException("restart preflight: cannot read handoff " + handoff + ": " + e.getMessage() + " (nothing was stopped)");
            }
        }
        List<AgentId> targets = constellation.expected().stream().filter(a -> AgentId.isAgentSession(a.name())).toList();
        if (targets.isEmpty()) targets = List.of(AgentId.AGENT0);
        Instant started = Instant.now();
        for (Path stale : List.of(wd.crashloopMarker(AgentId.AGENT0), wd.pendingProof(AgentId.AGENT0), wd.restartAttempts(AgentId.AGENT0))) {
            try {
                if (Files.deleteIfExists(stale)) Ui.line(ctx.out(), "restart", "cleared stale " + stale.getFileName());
            } catch (IOException e) {
                throw new NetskyException("cannot clear " + stale + ": " + e.getMessage());
            }
        }
        for (AgentId a : targets) {
            if (tmux.hasSession(a.name())) {
                tmux.killSession(a.name());
                Ui.line(ctx.out(), "restart", "killed '" + a + "'");
            }
        }
        Map<String, Object> agents = new LinkedHashMap<>();
        for (AgentId a : targets) {
            boolean ready = constellation.revive(a);
            agents.put(a.name(), ready ? "ready" : "not ready");
            ctx.record(new ai.netsky.store.Event.Restart(Instant.now(), a.name(), handoff != null ? "planned" : "manual", ready ? "ready" : "not-ready",
                    handoff == null ? null : handoff.toString()));
            Ui.line(ctx.out(), "restart", "respawned '" + a + "'" + (ready ? " (ready)" : " but it is NOT ready"));
        }
        if (note != null) {
            new EnvelopeWriter(ctx.paths()).send(AgentId.AGENT0, Envelope.now(AgentId.AGENTINFINITY.name(), note).withTo("agent0")
                    .withKind("handoff").withId("restart-handoff-" + started.getEpochSecond()));
            Path archived = archive(wd, handoff);
            Ui.line(ctx.out(), "restart", "delivered handoff to agent0; archived " + archived);
        }
        boolean green = "ready".equals(agents.get("agent0"));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("started_at", Timestamps.rfc3339(started));
        status.put("finished_at", Timestamps.rfc3339Now());
        status.put("status", green ? "green" : "degraded");
        status.put("agents", agents);
        status.put("handoff", handoff == null ? null : handoff.toString());
        Path dir = ctx.paths().ensureDir(wd.restartStatusDir());
        try {
            Files.writeString(dir.resolve("restart-" + started.getEpochSecond() + ".json"),
                    ai.netsky.core.EnvelopeCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } catch (IOException e) {
            throw new NetskyException("cannot write restart status into " + dir + ": " + e.getMessage());
        }
        Ui.line(ctx.out(), "restart", green ? "done: agent0 is ready" : "degraded: agent0 is not ready; see `netsky status` and `netsky doctor`");
        return green ? 0 : 1;
    }

    /** Copies the handoff into the archive; a claimed request's processing file is moved there (done). */
    private Path archive(WatchdogPaths wd, Path file) {
        Path dir = ctx.paths().ensureDir(wd.handoffArchiveDir());
        try {
            if (file.toAbsolutePath().equals(wd.restartProcessing().toAbsolutePath())) {
                Path dest = dir.resolve("netsky-restart-processing." + Timestamps.epochNanos() + ".txt");
                Files.move(file, dest, StandardCopyOption.REPLACE_EXISTING);
                return dest;
            }
            Path dest = dir.resolve(Timestamps.epochNanos() + "-restart-" + file.getFileName());
            Files.copy(file, dest);
            return dest;
        } catch (IOException e) {
            throw new NetskyException("cannot archive handoff " + file + " into " + dir + ": " + e.getMessage());
        }
    }
}
