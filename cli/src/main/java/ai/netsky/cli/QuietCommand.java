package ai.netsky.cli;

import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code netsky quiet <seconds> [--reason]}: a quiet window in which the watchdog does not page about hangs. */
@Command(name = "quiet", mixinStandardHelpOptions = true,
        description = "Suppress hang pages for <seconds> (writes ~/.netsky/state/agent0-quiet-until-<epoch>).")
public final class QuietCommand implements Runnable {
    private final CliContext ctx;

    QuietCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<seconds>")
    long seconds;

    @Option(names = "--reason", description = "Why (kept in the sentinel for humans; never parsed).")
    String reason;

    @Override
    public void run() {
        if (seconds < 1) throw new NetskyException("seconds must be >= 1");
        var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        Instant until = Instant.now().plusSeconds(seconds);
        var file = wd.quietSentinel(until.getEpochSecond());
        ctx.paths().ensureDir(ctx.paths().stateDir());
        String line = "quiet until " + Timestamps.utcSeconds(until) + (reason == null ? "" : " — " + reason.replace('\n', ' ')) + "\n";
        try {
            Files.writeString(file, line);
        } catch (IOException e) {
            throw new NetskyException("cannot write quiet sentinel " + file + ": " + e.getMessage());
        }
        Ui.line(ctx.out(), "quiet", line.strip() + " (" + file.getFileName() + ")");
    }
}
