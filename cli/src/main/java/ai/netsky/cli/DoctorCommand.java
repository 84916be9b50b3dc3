package ai.netsky.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky doctor [--brief] [--json]}: the health verdict; exit 1 when red. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the constellation's health: sessions, readiness, ticker heartbeat, OS timer, watchdog markers",
                "(hang, crash loop, agentinit, failed escalations), pending handoffs, quiet window, meta.db and its spool,",
                "binaries on PATH, disk space. Each check has a verdict and, when not ok, the fix. Exit 1 when any check fails."})
public final class DoctorCommand implements Callable<Integer> {
    private final CliContext ctx;

    DoctorCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--brief", description = "Only the checks that are not ok, and the verdict.")
    boolean brief;

    @Option(names = "--json", description = "The JSON report envelope: status green|yellow|red, data {checks: [{name, status, detail, fix}]}.")
    boolean json;

    @Override
    public Integer call() {
        Doctor.Report r = new Doctor(ctx).run();
        if (json) {
            ctx.out().println(JsonReport.render("doctor", r.status(), r.summary(), Map.of("checks", r.checks().stream().map(Doctor.Check::json).toList())));
        } else {
            ctx.out().print(render(r, brief));
        }
        return r.healthy() ? 0 : 1;
    }

    static String render(Doctor.Report r, boolean brief) {
        StringBuilder sb = new StringBuilder();
        int w = r.checks().stream().mapToInt(c -> c.name().length()).max().orElse(10);
        for (Doctor.Check c : r.checks()) {
            if (brief && c.verdict() == Doctor.Verdict.OK) continue;
            String tag = switch (c.verdict()) { case OK -> "ok  "; case WARN -> "WARN"; case FAIL -> "FAIL"; };
            sb.append("[netsky doctor] ").append(tag).append("  ").append(c.name()).append(" ".repeat(w - c.name().length())).append("  ").append(c.detail()).append('\n');
            if (c.fix() != null && c.verdict() != Doctor.Verdict.OK) {
                sb.append("[netsky doctor]       ").append(" ".repeat(w)).append("  fix: ").append(c.fix()).append('\n');
            }
        }
        sb.append("[netsky doctor] verdict: ").append(r.status()).append(" — ").append(r.summary()).append('\n');
        return sb.toString();
    }
}
