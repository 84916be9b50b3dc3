package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky drill 1|2}: destructive acceptance tests of self-repair (spec watchdog.md §9).
 * 1 = planned restart (stage a handoff, kill agent0, the watchdog claims and restarts);
 * 2 = crash recovery (kill agent0 with no handoff; the crash handoff carries the sigil).
 * Requires agent0 and agentinfinity alive; logs to ~/.netsky/logs/drills.log.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Destructive self-repair drills: 1 = planned restart, 2 = crash recovery.",
                "Kills agent0 and checks the watchdog brings it back with its handoff."})
public final class DrillCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext ctx;

    DrillCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<1|2>")
    int n;

    @Option(names = "--wait", description = "Seconds to wait for the watchdog to react (default ${DEFAULT-VALUE}).", defaultValue = "150")
    long waitS;

    @Option(names = "--up-wait", description = "Seconds to wait for agent0 to be ready again (default ${DEFAULT-VALUE}).", defaultValue = "720")
    long upWaitS;

    private WatchdogPaths wd;
    private TmuxConstellation constellation;

    @Override
    public Integer call() {
        if (n != 1 && n != 2) throw new NetskyException("unknown drill " + n + " (supported: 1, 2)");
        wd = WatchdogPaths.of(ctx.paths(), ctx.env());
        constellation = new TmuxConstellation(ctx, wd);
        var tmux = ctx.tmux();
        for (AgentId a : new AgentId[] {AgentId.AGENT0, AgentId.AGENTINFINITY}) {
            if (!tmux.hasSession(a.name())) throw new NetskyException("drill " + n + " needs " + a + " alive; run `netsky up` first");
        }
        Instant start = Instant.now();
        boolean pass = n == 1 ? drill1(start) : drill2(start);
        log("drill " + n + (pass ? " PASS" : " FAIL") + " in " + Duration.between(start, Instant.now()).toSeconds() + " s");
        return pass ? 0 : 1;
    }

    private boolean drill1(Instant start) {
        String marker = "netsky-drill-1 marker " + start.getEpochSecond() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try {
            Files.createDirectories(wd.restartRequest().getParent());
            Files.writeString(wd.restartRequest(), marker + "\nThis is a drill: confirm you received this handoff.\n");
        } catch (IOException e) {
            throw new NetskyException("cannot stage " + wd.restartRequest() + ": " + e.getMessage());
        }
        log("drill 1: staged " + marker + "; killing agent0");
        ctx.tmux().killSession("agent0");
        if (!await("the watchdog to claim the restart request", waitS, () -> !Files.exists(wd.restartRequest()))) return false;
        return await("agent0 ready with the handoff archived", upWaitS,
                () -> constellation.ready(AgentId.AGENT0) && archiveContains(start, marker) && !Files.exists(wd.restartProcessing()));
    }

    private boolean drill2(Instant start) {
        log("drill 2: killing agent0 with no handoff staged");
        ctx.tmux().killSession("agent0");
        return await("a crash handoff with the sigil archived and agent0 ready", upWaitS,
                () -> archiveContains(start, WatchdogPaths.CRASH_SIGIL) && constellation.ready(AgentId.AGENT0));
    }

    private boolean archiveContains(Instant since, String text) {
        try (var s = Files.list(wd.handoffArchiveDir())) {
            for (Path p : s.toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(since.minusSeconds(1))) continue;
                if (Files.readString(p).contains(text)) return true;
            }
        } catch (IOException none) {
            return false;
        }
        return false;
    }

    private boolean await(String what, long seconds, BooleanSupplier done) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                log("ok: " + what);
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        log("timed out after " + seconds + " s waiting for " + what);
        return false;
    }

    private void log(String line) {
        String stamped = "[netsky drill " + Timestamps.utcSeconds(Instant.now()) + "] " + line;
        ctx.out().println(stamped);
        try {
            Path logs = ctx.paths().ensureDir(ctx.paths().logsDir());
            Files.writeString(logs.resolve("drills.log"), stamped + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            ctx.err().println("[netsky drill] cannot append to drills.log: " + e.getMessage());
        }
    }
}
