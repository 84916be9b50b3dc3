package ai.netsky.cli;

import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.watchdog.Escalator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code netsky escalate <subject> [body]}: page the owner through the non-LLM floor. */
@Command(name = "escalate", mixinStandardHelpOptions = true,
        description = {"Page the owner without an LLM: iMessage via osascript on macOS (owner.imessage), the",
                "owner.notify_command hook and email to owner.email (any OS). Two attempts each; on total failure an",
                "escalate-failed marker is written for `netsky doctor` and the command exits 1."})
public final class EscalateCommand implements Runnable {
    private final CliContext ctx;

    EscalateCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", paramLabel = "<subject>")
    String subject;

    @Parameters(index = "1", arity = "0..1", paramLabel = "[body]")
    String body;

    @Override
    public void run() {
        var notifiers = OwnerPager.notifiers(ctx);
        var outcome = new Escalator(ctx.paths(), notifiers, ctx.env()).escalate(subject, body);
        outcome.lines().forEach(l -> Ui.line(ctx.out(), "escalate", l));
        ctx.record(new ai.netsky.store.Event.Escalation(java.time.Instant.now(), subject, outcome.delivered(),
                notifiers.isEmpty() ? null : String.join(", ", notifiers.stream().map(Escalator.Notifier::describe).toList()), String.join("; ", outcome.lines())));
        if (!outcome.delivered()) {
            throw new NetskyException("escalation '" + subject + "' was not delivered"
                    + (notifiers.isEmpty() ? ": no notifier configured; set owner.notify_command or owner.email with an email account (any OS), or owner.imessage (macOS), with `netsky config set`" : "; see ~/.netsky/logs/escalate.err"));
        }
    }
}
