package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import ai.netsky.watchdog.TickRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky tick enable|disable|request|ticker|ticker-start} (spec watchdog.md §4): agent0's
 * status ticks, and the {@code netsky-ticker} session — the 60 s driver of {@code watchdog tick}.
 */
@Command(name = "tick", mixinStandardHelpOptions = true,
        description = "Status ticks for agent0 and the netsky-ticker session that drives the watchdog every beat.",
        subcommands = {TickCommand.Enable.class, TickCommand.Disable.class, TickCommand.Request.class,
                TickCommand.Ticker.class, TickCommand.TickerStart.class})
public final class TickCommand {
    /** "Floor on status-tick interval. Below this = spam, rejected." */
    static final long TICK_MIN_INTERVAL_S = 60;
    /** The ticker log is rotated (one previous generation kept) past this size. */
    static final long TICKER_LOG_ROTATE_BYTES = 1 << 20;
    /** A watchdog pass may revive agents (bounded at 180 s each); a pass beyond this is hung and killed. */
    static final Duration WATCHDOG_CHILD_TIMEOUT = Duration.ofSeconds(600);
    static final Duration CRON_CHILD_TIMEOUT = Duration.ofSeconds(60);
    static final Duration SCAN_PERIOD = Duration.ofSeconds(1);
    /** A crash-looping agent stays dead between revives (the tick's cooldown); do not rerun the pass every scan. */
    static final Duration TRIGGER_SPACING = Duration.ofSeconds(10);

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Opt agent0 into status ticks every <secs> seconds (>= 60); the next watchdog pass fires one at once.")
    static final class Enable implements Runnable {
        private final CliContext ctx;

        Enable(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<secs>") long secs;

        public void run() {
            if (secs < TICK_MIN_INTERVAL_S) throw new NetskyException("interval must be >= 60s (got " + secs + ")");
            var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
            writeAtomically(wd.tickIntervalConfig(), Long.toString(secs));
            try {
                Files.deleteIfExists(wd.tickLast()); // a stale last-tick from a prior session must not delay the first one
            } catch (IOException e) {
                throw new NetskyException("cannot reset " + wd.tickLast() + ": " + e.getMessage());
            }
            Ui.line(ctx.out(), "tick", "status ticks enabled every " + secs + "s (" + wd.tickIntervalConfig() + ")");
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop status ticks.")
    static final class Disable implements Runnable {
        private final CliContext ctx;

        Disable(CliContext ctx) { this.ctx = ctx; }

        public void run() {
            var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
            try {
                boolean was = Files.deleteIfExists(wd.tickIntervalConfig());
                Ui.line(ctx.out(), "tick", was ? "status ticks disabled" : "status ticks were not enabled");
            } catch (IOException e) {
                throw new NetskyException("cannot remove " + wd.tickIntervalConfig() + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true, description = "Drop one status-tick request envelope into agent0's inbox now.")
    static final class Request implements Runnable {
        private final CliContext ctx;

        Request(CliContext ctx) { this.ctx = ctx; }

        public void run() {
            Path file = new EnvelopeWriter(ctx.paths()).send(AgentId.AGENT0, Envelope.now(AgentId.AGENTINFINITY.name(), TickRequest.text())
                    .withTo(AgentId.AGENT0.name()).withKind("tick-request"));
            Ui.line(ctx.out(), "tick", "tick request delivered to agent0 (" + file.getFileName() + ")");
        }
    }

    @Command(name = "ticker", mixinStandardHelpOptions = true,
            description = "The ticker loop (runs inside the netsky-ticker tmux session): every beat a heartbeat, `watchdog tick`, `cron tick` and `nap tick`, each bounded.")
    static final class Ticker implements Runnable {
        private final CliContext ctx;

        Ticker(CliContext ctx) { this.ctx = ctx; }

        public void run() {
            var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
            long interval = Math.max(1, ctx.config().integer(ConfigKey.TICKER_INTERVAL_S, null));
            ctx.paths().ensureDir(ctx.paths().logsDir());
            Ui.line(ctx.out(), "tick", "ticker started: a beat every " + interval + "s, a liveness scan every " + SCAN_PERIOD.toMillis()
                    + " ms; log " + wd.tickerLog());
            var constellation = new TmuxConstellation(ctx, wd);
            long nextBeat = System.nanoTime();
            long lastTriggered = System.nanoTime() - TRIGGER_SPACING.toNanos();
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                if (now - nextBeat >= 0) {
                    beat(wd, "ticker");
                    nextBeat = System.nanoTime() + Duration.ofSeconds(interval).toNanos();
                } else if (now - lastTriggered >= TRIGGER_SPACING.toNanos()) {
                    String casualty = casualty(constellation, wd);
                    if (casualty != null) {
                        lastTriggered = now;
                        appendRotating(wd.tickerLog(), "[ticker " + Timestamps.utcSeconds(Instant.now()) + "] " + casualty + "; watchdog pass now\n");
                        runChild(wd, List.of("watchdog", "tick", "--source", "ticker-scan"), WATCHDOG_CHILD_TIMEOUT, Instant.now());
                    }
                }
                try {
                    Thread.sleep(SCAN_PERIOD);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /**
         * The event path without trusting one event: tmux's pane-died hook is missed now and then
         * (seen on tmux 3.3a, ~1 in 10 SIGKILLed panes), so the ticker scans every agent's pane with
         * one tmux call a second and runs a pass at once when an expected agent is dead or gone.
         */
        private String casualty(TmuxConstellation constellation, WatchdogPaths wd) {
            var expected = constellation.expected();
            if (expected.isEmpty()) return null;
            boolean downByIntent = Files.exists(wd.downIntent());
            var panes = ctx.tmux().paneDeadBySession();
            for (AgentId a : expected) {
                if (downByIntent && AgentId.isAgentSession(a.name())) continue;
                Boolean dead = panes.get(a.name());
                if (dead == null) return a + " session missing";
                if (dead) return a + " pane dead";
            }
            return null;
        }

        /** The heartbeat comes first, so doctor sees a live ticker even while a child runs long. */
        private void beat(WatchdogPaths wd, String source) {
            Instant now = Instant.now();
            writeAtomically(wd.tickerHeartbeat(), Long.toString(now.getEpochSecond()));
            int watchdog = runChild(wd, List.of("watchdog", "tick", "--source", source), WATCHDOG_CHILD_TIMEOUT, now);
            int cron = runChild(wd, List.of("cron", "tick"), CRON_CHILD_TIMEOUT, now);
            int nap = runChild(wd, List.of("nap", "tick"), CRON_CHILD_TIMEOUT, now); // wakes agents whose `netsky nap` ended
            ctx.record(new ai.netsky.store.Event.Tick(now, "ticker-beat", "{\"watchdog_exit\":" + watchdog + ",\"cron_exit\":" + cron
                    + ",\"nap_exit\":" + nap + ",\"ms\":" + java.time.Duration.between(now, Instant.now()).toMillis() + "}"));
        }

        /** Runs one bounded child and logs it; returns its exit code (124 when it could not run). */
        private int runChild(WatchdogPaths wd, List<String> args, Duration bound, Instant now) {
            List<String> argv = new ArrayList<>();
            argv.add(ctx.netskyBin());
            argv.addAll(args);
            String outcome;
            int code = 124;
            try {
                var r = BoundedProcess.run(argv, bound, ctx.env(), null, null);
                code = r.exitCode();
                outcome = "exit " + r.exitCode() + (r.stdout().isBlank() ? "" : "\n" + r.stdout().strip())
                        + (r.ok() || r.stderr().isBlank() ? "" : "\n" + r.stderr().strip());
            } catch (NetskyException e) {
                outcome = "FAILED: " + e.getMessage();
            }
            String line = "[ticker " + Timestamps.utcSeconds(now) + "] netsky " + String.join(" ", args) + ": " + outcome;
            ctx.out().println(line);
            appendRotating(wd.tickerLog(), line + "\n");
            return code;
        }
    }

    @Command(name = "ticker-start", aliases = "start", mixinStandardHelpOptions = true,
            description = "Start the netsky-ticker tmux session (idempotent) and the tmux hooks that run a watchdog pass when an agent pane dies.")
    static final class TickerStart implements Runnable {
        private final CliContext ctx;

        TickerStart(CliContext ctx) { this.ctx = ctx; }

        public void run() {
            var tmux = ctx.tmux();
            var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
            if (tmux.hasSession(Names.TICKER_SESSION) && !tmux.paneState(Names.TICKER_SESSION).dead()) {
                Ui.line(ctx.out(), "tick", "session '" + Names.TICKER_SESSION + "' already up; skipping spawn");
            } else {
                if (tmux.hasSession(Names.TICKER_SESSION)) tmux.killSession(Names.TICKER_SESSION); // a dead pane kept for forensics
                long before = heartbeat(wd);
                String cmd = WatchdogCommand.shellQuote(ctx.netskyBin()) + " tick ticker";
                if (!tmux.newSession(Names.TICKER_SESSION, ctx.netskyRoot(), ctx.paneEnv(), cmd)) {
                    Ui.line(ctx.out(), "tick", "session '" + Names.TICKER_SESSION + "' already up (race)");
                } else {
                    // The repair is proven by the first heartbeat, not by the session merely existing.
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (heartbeat(wd) <= before) {
                        if (System.nanoTime() > deadline || tmux.paneState(Names.TICKER_SESSION).dead()) {
                            throw new NetskyException("the netsky-ticker session started but wrote no heartbeat to " + wd.tickerHeartbeat()
                                    + " within 30 s; its screen:\n" + tmux.capturePane(Names.TICKER_SESSION).strip());
                        }
                        sleepQuietly(100);
                    }
                    Ui.line(ctx.out(), "tick", "spawned '" + Names.TICKER_SESSION + "' (a beat every "
                            + ctx.config().integer(ConfigKey.TICKER_INTERVAL_S, null) + "s)");
                }
            }
            WatchdogCommand.installHooks(ctx, false);
        }

        private static long heartbeat(WatchdogPaths wd) {
            try {
                return Files.getLastModifiedTime(wd.tickerHeartbeat()).toMillis();
            } catch (IOException none) {
                return 0;
            }
        }
    }

    static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, content + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NetskyException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void appendRotating(Path log, String text) {
        try {
            if (Files.exists(log) && Files.size(log) > TICKER_LOG_ROTATE_BYTES) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[netsky tick] cannot append to " + log + ": " + e.getMessage());
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetskyException("interrupted while waiting for the ticker heartbeat");
        }
    }
}
