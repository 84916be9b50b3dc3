package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import ai.netsky.watchdog.CronTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code netsky cron add|list|remove|tick}: scheduled prompts delivered to an agent's inbox. */
@Command(name = "cron", mixinStandardHelpOptions = true,
        description = "Scheduled prompts: a cron schedule delivers a prompt envelope to an agent's inbox (ticked by the ticker).",
        subcommands = {CronCommand.Add.class, CronCommand.ListCmd.class, CronCommand.Remove.class, CronCommand.Tick.class})
public final class CronCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a scheduled prompt.")
    static final class Add implements Runnable {
        private final CliContext ctx;

        Add(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<label>") String label;
        @Parameters(index = "1", paramLabel = "<schedule>", description = "5-field cron expression, e.g. \"0 9 * * 1-5\".") String schedule;
        @Parameters(index = "2", paramLabel = "<target>", description = "Agent id, e.g. agent0.") String target;
        @Parameters(index = "3", paramLabel = "<prompt>") String prompt;

        public void run() {
            var e = new CronTable(ctx.paths()).add(label, schedule, target, prompt, Instant.now());
            Ui.line(ctx.out(), "cron", "added '" + e.label() + "' (" + e.schedule() + " → " + e.target() + "); next run "
                    + CronTable.next(e, Instant.now()).map(Object::toString).orElse("never"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List scheduled prompts.")
    static final class ListCmd implements Runnable {
        private final CliContext ctx;

        ListCmd(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json") boolean json;

        public void run() {
            List<CronTable.Entry> entries = new CronTable(ctx.paths()).list();
            if (json) {
                ctx.out().println(JsonReport.render("cron", "green", entries.size() + " cron entr" + (entries.size() == 1 ? "y" : "ies"), Map.of("entries", entries)));
                return;
            }
            if (entries.isEmpty()) {
                ctx.out().println("no cron entries (add one: netsky cron add <label> \"<schedule>\" <agent> \"<prompt>\")");
                return;
            }
            for (var e : entries) {
                ctx.out().printf("%-20s %-16s %-14s next %s  %s%n", e.label(), e.schedule(), e.target(),
                        CronTable.next(e, Instant.now()).map(Object::toString).orElse("never"), e.prompt().lines().findFirst().orElse(""));
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a scheduled prompt.")
    static final class Remove implements Runnable {
        private final CliContext ctx;

        Remove(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<label>") String label;

        public void run() {
            if (!new CronTable(ctx.paths()).remove(label)) {
                throw new NetskyException("no cron entry '" + label + "'; see `netsky cron list`");
            }
            Ui.line(ctx.out(), "cron", "removed '" + label + "'");
        }
    }

    @Command(name = "tick", mixinStandardHelpOptions = true, description = "Deliver every due prompt now (the ticker runs this each beat).")
    static final class Tick implements Runnable {
        private final CliContext ctx;

        Tick(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json") boolean json;

        public void run() {
            Instant now = Instant.now();
            var writer = new EnvelopeWriter(ctx.paths());
            var fired = new CronTable(ctx.paths()).tick(now, e -> writer.send(AgentId.of(e.target()),
                    Envelope.now(AgentId.AGENTINFINITY.name(), e.prompt()).withTo(e.target()).withKind("cron")
                            .withId("cron-" + e.label() + "-" + now.getEpochSecond())));
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("fired", fired.stream().map(CronTable.Entry::label).toList());
                ctx.out().println(JsonReport.render("cron", "green", fired.size() + " fired", data));
            } else {
                fired.forEach(e -> Ui.line(ctx.out(), "cron", "fired '" + e.label() + "' → " + e.target()));
            }
        }
    }
}
