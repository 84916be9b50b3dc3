package ai.netsky.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky setup [--fix] [--json]}: first-run checks — JDK, netsky.toml, netsky root, state dir,
 * tmux, Claude Code and Codex (installed, logged in), owner handle, OS failsafe timer, status hooks —
 * each with the exact fix. Read-only unless {@code --fix}; safe to run any number of times.
 */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Check what netsky needs on this machine and print the exact fix for anything missing.",
                "Exit 1 when something the configured runtime needs is missing (warnings alone exit 0)."})
public final class SetupCommand implements Callable<Integer> {
    private final CliContext ctx;

    SetupCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--fix", description = "Also apply the fixes netsky can make itself: create ~/.netsky, run `netsky init` in the root, install the hooks and the OS timer.")
    boolean fix;

    @Option(names = "--json", description = "Print the JSON report (checks with status ok|warn|fail, detail, fix).")
    boolean json;

    @Override
    public Integer call() {
        var checks = new SetupChecks(ctx);
        List<SetupChecks.Check> results = checks.run();
        List<String> fixed = List.of();
        if (fix) {
            fixed = checks.fix(results);
            if (!fixed.isEmpty()) results = checks.run();
        }
        boolean failed = results.stream().anyMatch(c -> c.level() == SetupChecks.Level.FAIL);
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("checks", results.stream().map(SetupChecks.Check::json).toList());
            data.put("fixed", fixed);
            ctx.out().println(JsonReport.render("setup", SetupChecks.status(results), SetupChecks.summary(results), data));
            return failed ? 1 : 0;
        }
        fixed.forEach(l -> Ui.line(ctx.out(), "setup", "fixed: " + l));
        SetupChecks.print(ctx, "setup", results);
        Ui.line(ctx.out(), "setup", SetupChecks.summary(results)
                + (failed ? "; fix the failures above, then run `netsky setup` again" : "; next: netsky up"));
        return failed ? 1 : 0;
    }
}
