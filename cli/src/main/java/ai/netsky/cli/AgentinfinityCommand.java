package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.RuntimeKind;
import ai.netsky.lifecycle.Spawner;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky agentinfinity}: idempotently spawn the watchdog agent (spec cli.md §4.1). The ready
 * marker {@code state/agentinfinity-ready} is deleted before the spawn so it goes from absent to
 * present during boot. It does not install the ticker or the OS timer; the caller does.
 */
@Command(name = "agentinfinity", mixinStandardHelpOptions = true,
        description = {"Spawn the agentinfinity watchdog session (idempotent) and wait until it is ready.",
                "Without --type: the runtime it last ran, else netsky.runtime / AGENT_RUNTIME (default claude)."})
public final class AgentinfinityCommand implements Runnable {
    private final CliContext ctx;

    AgentinfinityCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--type", paramLabel = "claude|codex|stub", description = "Agent runtime (a JVM-netsky addition; netsky 0.1.x always ran claude).")
    String type;

    @Override
    public void run() {
        LifecycleSupport.requireTmux(ctx);
        Spawner spawner = LifecycleSupport.spawner(ctx);
        Spawner.Outcome o = spawn(ctx, spawner, spawner.runtimeFor(AgentId.AGENTINFINITY, LifecycleSupport.kind(type), true));
        LifecycleSupport.awaitReady(ctx, "agentinfinity", spawner, List.of(o), LifecycleSupport.readyTimeout(ctx));
    }

    static Spawner.Outcome spawn(CliContext ctx, Spawner spawner, RuntimeKind kind) {
        AgentId a = AgentId.AGENTINFINITY;
        if (spawner.isUp(a)) {
            ctx.out().println("[agentinfinity] session 'agentinfinity' already up; skipping spawn");
            return new Spawner.AlreadyUp(a, false);
        }
        ctx.paths().ensureDir(ctx.paths().stateDir());
        try {
            Files.deleteIfExists(ctx.paths().agentinfinityReadyMarker());
        } catch (IOException e) {
            throw new NetskyException("cannot delete " + ctx.paths().agentinfinityReadyMarker() + ": " + e.getMessage());
        }
        Spawner.Outcome o = spawner.spawn(a, kind);
        switch (o) {
            case Spawner.Spawned s -> {
                ctx.out().println("[agentinfinity] spawned 'agentinfinity' (" + s.runtime().describe() + ")");
                ctx.record(new ai.netsky.store.Event.Session(java.time.Instant.now(), a.name(), null, ai.netsky.store.Event.SessionKind.UP, s.runtime().describe()));
            }
            case Spawner.AlreadyUp up -> ctx.out().println("[agentinfinity] already up (race)");
        }
        return o;
    }
}
