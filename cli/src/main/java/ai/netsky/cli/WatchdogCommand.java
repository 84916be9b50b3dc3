package ai.netsky.cli;

import ai.netsky.core.ConfigKey;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.tmux.Tmux;
import ai.netsky.watchdog.Escalator;
import ai.netsky.watchdog.WatchdogTick;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky watchdog tick|hooks}: the self-repair pass and the tmux hooks that trigger it at once. */
@Command(name = "watchdog", mixinStandardHelpOptions = true,
        description = "The self-repair loop: one deterministic pass (tick), driven by the ticker, the OS timer and tmux hooks.",
        subcommands = {WatchdogCommand.Tick.class, WatchdogCommand.Hooks.class})
public final class WatchdogCommand {

    @Command(name = "tick", mixinStandardHelpOptions = true,
            description = "One watchdog pass: planned restarts, crash recovery, crash loops, hangs, ticker, agentinit, status ticks.")
    static final class Tick implements Runnable {
        private final CliContext ctx;

        Tick(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--source", description = "What triggered this pass (ticker, timer, pane-died, manual).", defaultValue = "manual")
        String source;

        public void run() {
            var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
            var cfg = ctx.config();
            var escalator = OwnerPager.escalator(ctx);
            var settings = WatchdogTick.Settings.defaults().withHangThreshold(cfg.integer(ConfigKey.HANG_THRESHOLD_S, null));
            var tick = new WatchdogTick(ctx.paths(), wd, new TmuxConstellation(ctx, wd),
                    (subject, body) -> escalator.escalate(subject, body).delivered(), new StoreWatchdogEvents(ctx), settings, Clock.systemUTC(), ctx.out());
            tick.run(source);
        }
    }

    @Command(name = "hooks", mixinStandardHelpOptions = true,
            description = "Install (or remove) tmux hooks so a dying agent pane triggers a watchdog pass at once.")
    static final class Hooks implements Runnable {
        private final CliContext ctx;

        Hooks(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--uninstall", description = "Remove the hooks.")
        boolean uninstall;

        public void run() {
            installHooks(ctx, uninstall);
        }
    }

    /** Global tmux hooks: a dying agent pane (remain-on-exit) or a closed session runs one watchdog pass at once. */
    static void installHooks(CliContext ctx, boolean uninstall) {
        var tmux = ctx.tmux();
        for (String hook : new String[] {"pane-died", "session-closed"}) {
            if (uninstall) {
                tmux.raw("set-hook", "-gu", hook);
            } else {
                // run-shell -b: tmux never blocks on the tick; the tick is single-flight anyway.
                String shell = shellQuote(ctx.netskyBin()) + " watchdog tick --source " + hook + " >/dev/null 2>&1";
                var r = tmux.raw("set-hook", "-g", hook, "run-shell -b " + tmuxQuote(shell));
                if (!r.ok()) throw new ai.netsky.core.NetskyException("cannot install tmux hook " + hook + ": " + r.stderr().strip() + "; is a tmux server running?");
            }
        }
        Ui.line(ctx.out(), "watchdog", (uninstall ? "removed" : "installed") + " tmux hooks pane-died, session-closed");
    }

    /** tmux's double-quoted string: backslash, double quote and $ (variable expansion) escaped. */
    static String tmuxQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
