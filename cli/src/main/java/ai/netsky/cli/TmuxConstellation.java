package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.tmux.Tmux;
import ai.netsky.watchdog.Constellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real constellation for the watchdog: state from tmux (session present, pane dead or alive),
 * repairs through netsky's own commands run as bounded child processes — the exact paths a user
 * runs — so a revive is proven by the same readiness check `netsky agent` uses.
 */
final class TmuxConstellation implements Constellation {
    private final CliContext ctx;
    private final WatchdogPaths wd;
    private final Tmux tmux;

    TmuxConstellation(CliContext ctx, WatchdogPaths wd) {
        this.ctx = ctx;
        this.wd = wd;
        this.tmux = ctx.tmux();
    }

    /** Agents that were spawned: those with a rendered prompt under state/prompts (agent0, clones, agentinfinity). */
    @Override
    public List<AgentId> expected() {
        List<AgentId> out = new ArrayList<>();
        try (var s = Files.list(ctx.paths().promptsDir())) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.endsWith(".md")) continue;
                String id = n.substring(0, n.length() - 3);
                if (AgentId.isAgentSession(id) || id.equals(Names.AGENTINFINITY)) out.add(AgentId.of(id));
            }
        } catch (IOException none) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    @Override
    public AgentState state(AgentId agent) {
        if (!tmux.hasSession(agent.name())) return new Absent();
        try {
            var pane = tmux.paneState(agent.name());
            String screen = tmux.capturePane(agent.name());
            return pane.dead() ? new Dead(pane.exitStatus(), screen) : new Alive(screen);
        } catch (NetskyException vanished) {
            return new Absent();
        }
    }

    /**
     * Revives through the very command a user runs ({@code netsky agent <N>} / {@code netsky
     * agentinfinity}), in this process: the same code path without another JVM start on the
     * critical path of a recovery. The command itself bounds its wait for readiness.
     */
    @Override
    public boolean revive(AgentId agent) {
        if (tmux.hasSession(agent.name())) tmux.killSession(agent.name()); // a dead pane kept for forensics is replaced
        String[] args = agent.equals(AgentId.AGENTINFINITY)
                ? new String[] {"agentinfinity"}
                : new String[] {"agent", Integer.toString(agent.number().orElseThrow())};
        return Main.commandLine(ctx).execute(args) == 0 && ready(agent);
    }

    /** The liveness proof: the pane is alive and spawn recorded the runtime's ready signal. */
    @Override
    public boolean ready(AgentId agent) {
        return state(agent) instanceof Alive && Files.exists(ctx.paths().agentStateFile(agent, "ready"));
    }

    @Override
    public boolean tickerUp() {
        return tmux.hasSession(Names.TICKER_SESSION);
    }

    @Override
    public boolean startTicker() {
        netsky(List.of("tick", "ticker-start"), Duration.ofSeconds(30));
        return tickerUp();
    }

    /** A detached child in its own session (setsid) so it outlives this tick and the ticker pane. */
    @Override
    public void startDetachedRestart(Path handoff) {
        try {
            Path dir = ctx.paths().ensureDir(wd.restartStatusDir());
            List<String> argv = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) argv.add("/usr/bin/setsid");
            argv.addAll(List.of(ctx.netskyBin(), "restart", "--handoff", handoff.toString()));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("restart-detached.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(ctx.env());
            pb.start();
        } catch (IOException e) {
            throw new NetskyException("cannot start detached `netsky restart`: " + e.getMessage());
        }
    }

    private BoundedProcess.Result netsky(List<String> args, Duration timeout) {
        List<String> argv = new ArrayList<>();
        argv.add(ctx.netskyBin());
        argv.addAll(args);
        try {
            return BoundedProcess.run(argv, timeout, ctx.env(), null, null);
        } catch (NetskyException e) {
            return new BoundedProcess.Result(argv, 124, "", e.getMessage());
        }
    }
}
