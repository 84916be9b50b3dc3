package ai.netsky.cli;

import ai.netsky.watchdog.OsTimer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky launchd install|uninstall|status}: the OS failsafe timer running
 * {@code netsky watchdog tick} every 120 s — a LaunchAgent on macOS, a systemd user timer on Linux.
 */
@Command(name = "launchd", mixinStandardHelpOptions = true,
        description = {"Install, remove or inspect the OS failsafe timer (watchdog tick every 120 s):",
                "macOS LaunchAgent dev.dkdc.netsky-watchdog, or on Linux the systemd user units netsky-watchdog.{service,timer}."},
        subcommands = {LaunchdCommand.Install.class, LaunchdCommand.Uninstall.class, LaunchdCommand.Status.class})
public final class LaunchdCommand {

    static class Base {
        final CliContext ctx;

        Base(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--systemd", description = "Use the systemd user timer regardless of OS.")
        boolean systemd;

        @Option(names = "--launchd", description = "Use the macOS LaunchAgent regardless of OS.")
        boolean launchd;

        OsTimer timer() {
            var home = ctx.paths().home();
            String bin = ctx.netskyBin();
            if (systemd) return new OsTimer.Systemd(home, bin, ctx.env());
            if (launchd) return new OsTimer.Launchd(home, bin, ctx.env());
            return OsTimer.forThisOs(home, bin, ctx.env());
        }

        void print(OsTimer t, OsTimer.Report r) {
            r.lines().forEach(l -> Ui.line(ctx.out(), "launchd", t.name() + ": " + l));
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Write and load the timer (idempotent).")
    static final class Install extends Base implements Runnable {
        Install(CliContext ctx) { super(ctx); }

        public void run() {
            var t = timer();
            print(t, t.install());
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Unload and remove the timer (idempotent).")
    static final class Uninstall extends Base implements Runnable {
        Uninstall(CliContext ctx) { super(ctx); }

        public void run() {
            var t = timer();
            print(t, t.uninstall());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether the timer is installed and active; exit 1 when not installed.")
    static final class Status extends Base implements java.util.concurrent.Callable<Integer> {
        Status(CliContext ctx) { super(ctx); }

        public Integer call() {
            var t = timer();
            var r = t.status();
            print(t, r);
            return r.installed() ? 0 : 1;
        }
    }
}
