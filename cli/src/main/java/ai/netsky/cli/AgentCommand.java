package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.lifecycle.RuntimeKind;
import ai.netsky.lifecycle.Spawner;
import ai.netsky.store.Event;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky agent <N> [--type claude|codex|stub] [--fresh]}: spawn agent0 (N=0) or the clone
 * agentN, idempotently, and wait (bounded) until it is ready — the watchdog revives through this
 * command and then checks {@code state/<agent>-ready}. {@code --fresh} kills the session first.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Spawn agent0 (N=0) or clone agent<N> in tmux, idempotently, and wait until it is ready.",
                "Without --type: the runtime this agent last ran, else netsky.runtime / AGENT_RUNTIME (default claude)."})
public final class AgentCommand implements Runnable {
    static final String CMD = "agent";
    private final CliContext ctx;

    AgentCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<N>", description = "0 for agent0, N > 0 for the clone agentN.")
    int n;

    @Option(names = "--type", paramLabel = "claude|codex|stub", description = "Agent runtime.")
    String type;

    @Option(names = "--fresh", description = "Kill the session first, for a clean context.")
    boolean fresh;

    @Override
    public void run() {
        LifecycleSupport.requireTmux(ctx);
        AgentId agent = AgentId.fromNumber(n);
        Spawner spawner = LifecycleSupport.spawner(ctx);
        RuntimeKind kind = spawner.runtimeFor(agent, LifecycleSupport.kind(type), true);
        var tmux = ctx.tmux();
        if (fresh && tmux.hasSession(agent.name())) {
            tmux.killSession(agent.name());
            Ui.line(ctx.out(), CMD, "killed '" + agent + "' (--fresh)");
        }
        Spawner.Outcome o = spawnAndAnnounce(ctx, CMD, spawner, agent, kind);
        String outcome = o instanceof Spawner.Spawned ? "spawned" : "already-up";
        try {
            LifecycleSupport.awaitReady(ctx, CMD, spawner, List.of(o), LifecycleSupport.readyTimeout(ctx));
        } catch (RuntimeException notReady) {
            ctx.record(new Event.CloneDispatch(Instant.now(), agent.name(), kind.id(), fresh, outcome + ", not ready", notReady.getMessage()));
            throw notReady;
        }
        ctx.record(new Event.CloneDispatch(Instant.now(), agent.name(), kind.id(), fresh, outcome + ", ready", null));
    }

    /** Spawns one numbered agent and prints what happened. */
    static Spawner.Outcome spawnAndAnnounce(CliContext ctx, String cmd, Spawner spawner, AgentId agent, RuntimeKind kind) {
        Spawner.Outcome o = spawner.spawn(agent, kind);
        switch (o) {
            case Spawner.Spawned s -> {
                Ui.line(ctx.out(), cmd, "spawned '" + agent + "' (" + s.runtime().describe() + ")");
                ctx.record(new Event.Session(Instant.now(), agent.name(), agent.number().isPresent() ? agent.number().getAsInt() : null,
                        Event.SessionKind.UP, s.runtime().describe()));
            }
            case Spawner.AlreadyUp a -> Ui.line(ctx.out(), cmd, a.race()
                    ? "'" + agent + "' already up (race)"
                    : "session '" + agent + "' already up; skipping spawn");
        }
        return o;
    }
}
