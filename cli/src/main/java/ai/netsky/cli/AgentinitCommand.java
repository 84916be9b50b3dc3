package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.ClaudeRuntime;
import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky agentinit <session>}: the bootstrap gate for a freshly spawned agent (spec
 * watchdog.md §7). netsky ran the bundled {@code agentinit.md} brief through a short {@code claude -p};
 * the brief is a fixed polling loop, so this runs the same two phases deterministically, with the
 * same output lines and exit codes, and needs no model:
 * phase 1 (≤60 s, 1 Hz) dismisses the development-channels notice; phase 2 (≤120 s, 1 Hz) waits
 * for the ready marker. One plain line per phase; {@code phase-N timeout} / {@code phase-1
 * missing-session} and exit 1 on failure.
 */
@Command(name = "agentinit", mixinStandardHelpOptions = true,
        description = "Bootstrap gate for a fresh agent session: dismiss the dev-channels notice, then wait for its ready marker.")
public final class AgentinitCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext ctx;

    AgentinitCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<session>", description = "The session, e.g. agentinfinity.")
    String session;

    @Option(names = "--phase1-timeout", paramLabel = "<s>", defaultValue = "60", description = "Seconds to watch for the notice (default 60).")
    int phase1;

    @Option(names = "--phase2-timeout", paramLabel = "<s>", defaultValue = "120", description = "Seconds to wait for the ready marker (default 120).")
    int phase2;

    static final Duration POLL = Duration.ofSeconds(1);

    @Override
    public Integer call() throws InterruptedException {
        // The name reaches tmux targets; validate before anything else (netsky-sh's validator).
        Tmux.validateSessionName(session);
        if (!AgentId.isValid(session)) throw new NetskyException("invalid agent session '" + session + "': use e.g. agentinfinity or agent0");
        Tmux tmux = ctx.tmux();
        Path marker = ctx.paths().agentStateFile(AgentId.of(session), "ready");
        long end1 = System.nanoTime() + Duration.ofSeconds(phase1).toNanos();
        boolean dismissed = false;
        while (!dismissed) {
            if (!tmux.hasSession(session)) {
                ctx.out().println("phase-1 missing-session");
                return 1;
            }
            String screen;
            try {
                screen = tmux.capturePane(session);
            } catch (NetskyException vanished) {
                continue;
            }
            if (screen.contains(ClaudeRuntime.TOS_TEXT)) {
                tmux.sendKeys(session, "Enter");
                dismissed = true;
            } else if (Files.exists(marker) || System.nanoTime() > end1) {
                // Booted past any dialog, or the notice was never shown (API-key auth, stub): on to phase 2.
                break;
            } else {
                Thread.sleep(POLL);
            }
        }
        ctx.out().println(dismissed ? "phase-1 ok (dismissed the development-channels notice)" : "phase-1 ok");
        long end2 = System.nanoTime() + Duration.ofSeconds(phase2).toNanos();
        while (!Files.exists(marker)) {
            if (System.nanoTime() > end2) {
                ctx.out().println("phase-2 timeout");
                return 1;
            }
            Thread.sleep(POLL);
        }
        ctx.out().println("phase-2 ok");
        return 0;
    }
}
