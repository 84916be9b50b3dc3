package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.lifecycle.RuntimeKind;
import ai.netsky.lifecycle.Spawner;
import ai.netsky.lifecycle.WorkspaceInit;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky up [N] [--type claude|codex|stub] [--no-attach]}: agent0, N clones, agentinfinity and
 * the ticker, idempotently; waits (bounded, progress on stderr) until every agent is ready; then
 * attaches to agent0 when run from a terminal outside tmux.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Bring the constellation up: agent0 + N clones + agentinfinity + the netsky-ticker session (idempotent).",
                "Waits until every agent is ready (tuning.ready_timeout_s), then attaches to agent0 when interactive and not inside tmux."})
public final class UpCommand implements Runnable {
    static final String CMD = "up";
    private final CliContext ctx;

    UpCommand(CliContext ctx) { this.ctx = ctx; }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<N>", description = "Number of clones (default clones.default_count / NETSKY_CLONES, else 0).")
    Integer n;

    @Option(names = "--type", paramLabel = "claude|codex|stub",
            description = "Runtime for agent0, the clones and agentinfinity (default netsky.runtime / AGENT_RUNTIME, else claude).")
    String type;

    @Option(names = "--no-attach", description = "Do not attach to agent0 afterwards.")
    boolean noAttach;

    @Override
    public void run() {
        LifecycleSupport.requireTmux(ctx);
        int clones = n != null ? n : (int) ctx.config().integer(ConfigKey.CLONES_DEFAULT, null);
        if (clones < 0) throw new NetskyException("invalid clone count " + clones + ": use 0 or more");
        var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        try {
            Files.deleteIfExists(wd.downIntent()); // contract 5: `up` clears `down`'s intent
        } catch (IOException e) {
            throw new NetskyException("cannot clear " + wd.downIntent() + ": " + e.getMessage());
        }
        if (!Files.isDirectory(ctx.netskyRoot().resolve(".agents/skills"))) {
            Ui.line(ctx.out(), CMD, "netsky root " + ctx.netskyRoot() + " is not initialised; running `netsky init`");
            WorkspaceInit.run(ctx.netskyRoot(), false, ctx.out());
        }
        ClaudeHooks.ensure(ctx, CMD); // status signals from claude agents (netsky hooks install)
        Spawner spawner = LifecycleSupport.spawner(ctx);
        forgetClonesBeyond(clones, spawner);
        RuntimeKind flag = LifecycleSupport.kind(type);
        List<Spawner.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i <= clones; i++) {
            AgentId a = AgentId.fromNumber(i);
            outcomes.add(AgentCommand.spawnAndAnnounce(ctx, CMD, spawner, a, spawner.runtimeFor(a, flag, false)));
        }
        outcomes.add(AgentinfinityCommand.spawn(ctx, spawner, spawner.runtimeFor(AgentId.AGENTINFINITY, flag, false)));
        // The ticker proves itself by its first heartbeat; that wait overlaps the agents' boot.
        Thread ticker = Thread.ofVirtual().name("ticker-start").start(this::startTicker);
        try {
            LifecycleSupport.awaitReady(ctx, CMD, spawner, outcomes, LifecycleSupport.readyTimeout(ctx));
        } finally {
            try {
                ticker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Ui.line(ctx.out(), CMD, "constellation up: " + String.join(", ", outcomes.stream().map(o -> o.agent().name()).toList()));
        if (!noAttach && interactive()) {
            new AttachCommand(ctx).attach(AgentId.AGENT0.name());
        }
    }

    /**
     * The watchdog revives every agent that has a rendered prompt; `up N` defines the constellation,
     * so a stopped clone beyond N (left from an earlier, larger `up`) is forgotten rather than revived.
     */
    private void forgetClonesBeyond(int clones, Spawner spawner) {
        try (var files = Files.list(ctx.paths().promptsDir())) {
            for (var p : files.toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".md")) continue;
                String id = name.substring(0, name.length() - 3);
                if (!AgentId.isAgentSession(id)) continue;
                AgentId a = AgentId.of(id);
                if (a.number().orElse(0) <= clones || spawner.isUp(a)) continue;
                Files.deleteIfExists(p);
                Files.deleteIfExists(spawner.readyMarker(a));
                Ui.line(ctx.out(), CMD, "forgot '" + a + "' (not running, beyond N=" + clones + "; the watchdog will not revive it)");
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // Nothing spawned yet.
        } catch (IOException e) {
            throw new NetskyException("cannot prune old prompts in " + ctx.paths().promptsDir() + ": " + e.getMessage());
        }
    }

    /** Contract 6: the ticker comes from `netsky tick ticker-start`; a build without it only warns. */
    private void startTicker() {
        CommandLine root = spec.root().commandLine();
        if (!root.getSubcommands().containsKey("tick")) {
            Ui.line(ctx.err(), CMD, "warning: this netsky has no `tick` command; the netsky-ticker session was not started");
            return;
        }
        int code;
        try {
            code = Main.commandLine(ctx).execute("tick", "ticker-start");
        } catch (RuntimeException e) {
            code = 1;
        }
        if (code != 0) Ui.line(ctx.err(), CMD, "warning: `netsky tick ticker-start` failed (exit " + code + "); the watchdog heartbeat is missing");
    }

    /** A terminal on stdin and stdout, and not already inside tmux (attach would nest). */
    private boolean interactive() {
        String tmux = ctx.env().get("TMUX");
        return (tmux == null || tmux.isBlank()) && ctx.in() == System.in && Ui.stdoutIsTerminal();
    }
}
