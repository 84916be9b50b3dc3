package ai.netsky.cli;

import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.tmux.Tmux;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky attach <target>}: {@code 0..N} → agentN, {@code infinity}/{@code inf} →
 * agentinfinity, {@code ticker} → netsky-ticker. Outside tmux it runs {@code tmux attach-session}
 * with this terminal (the JVM cannot exec, so it waits for tmux and passes its exit status on);
 * inside tmux it switches the client.
 */
@Command(name = "attach", aliases = "a", mixinStandardHelpOptions = true,
        description = "Attach to an agent's tmux session: 0..N, infinity|inf, ticker (or a session name).")
public final class AttachCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext ctx;

    AttachCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<target>", description = "0..N, infinity, inf, ticker, or a session name.")
    String target;

    @Override
    public Integer call() {
        return attach(session(target));
    }

    static String session(String target) {
        String t = target.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) return Names.CLONE_PREFIX + Integer.parseInt(t);
        return switch (t) {
            case "infinity", "inf" -> Names.AGENTINFINITY;
            case "ticker" -> Names.TICKER_SESSION;
            default -> Tmux.validateSessionName(t);
        };
    }

    int attach(String session) {
        Tmux tmux = ctx.tmux();
        if (!tmux.hasSession(session)) {
            throw new NetskyException("tmux session '" + session + "' is not up.\nhint: `netsky up` brings the constellation up, or `netsky agent <N>` spawns one.");
        }
        String inside = ctx.env().get("TMUX");
        if (inside != null && !inside.isBlank()) {
            tmux.raw("switch-client", "-t", "=" + session).stdoutOrThrow();
            return 0;
        }
        // Interactive: no timeout by design — the user decides when to detach.
        ProcessBuilder pb = new ProcessBuilder(List.of("tmux", "attach-session", "-t", "=" + session)).inheritIO();
        pb.environment().clear();
        pb.environment().putAll(ctx.env());
        try {
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new NetskyException("failed to exec tmux attach-session: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
