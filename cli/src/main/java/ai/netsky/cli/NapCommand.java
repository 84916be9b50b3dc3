package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.core.WatchdogPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky nap <duration> [--reason] [--agent]}: an agent sleeps and is woken. For agent0 it
 * also arms a quiet window (the {@code quiet} sentinel) so the watchdog does not page about a "hang"
 * while it naps. The wake-up is an envelope ({@code kind: "wake"}) into the agent's inbox, delivered
 * by {@code netsky nap tick}, which the ticker runs each beat (as it runs {@code cron tick}).
 * netsky 0.1.7's {@code nap} source was not available; 0.2.0 replaced naps with loops.
 */
@Command(name = "nap", mixinStandardHelpOptions = true,
        description = {"Sleep for <duration> (90, 20m, 1h30m; max 24h) and be woken by a `wake` envelope.",
                "For agent0 it also suppresses hang pages for the nap (like `netsky quiet`)."},
        subcommands = {NapCommand.ListNaps.class, NapCommand.Cancel.class, NapCommand.Tick.class})
public final class NapCommand implements Runnable {
    private final CliContext ctx;

    NapCommand(CliContext ctx) { this.ctx = ctx; }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<duration>", description = "Seconds, or h/m/s units: 90, 20m, 1h30m (1s to 24h).")
    String duration;

    @Option(names = "--reason", paramLabel = "<text>", description = "Why (shown in the wake-up message and in `nap list`).")
    String reason;

    @Option(names = "--agent", paramLabel = "<id>", description = "Who naps (default: the caller, from AGENT_N; else agent0).")
    String agent;

    @Option(names = "--json", description = "Print the JSON report.")
    boolean json;

    static AgentId who(CliContext ctx, String agent) {
        if (agent == null) return ctx.self();
        if (!AgentId.isValid(agent)) throw new NetskyException("invalid agent '" + agent + "': use an id like agent0, agent3 or agentinfinity");
        return AgentId.of(agent);
    }

    @Override
    public void run() {
        if (duration == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return;
        }
        Duration d = Naps.parseDuration(duration);
        AgentId a = who(ctx, agent);
        Instant now = Instant.now();
        Instant until = now.plus(d);
        String sentinel = null;
        if (a.equals(AgentId.AGENT0)) {
            var wd = WatchdogPaths.of(ctx.paths(), ctx.env());
            ctx.paths().ensureDir(ctx.paths().stateDir());
            var f = wd.quietSentinel(until.getEpochSecond());
            try {
                Files.writeString(f, "quiet until " + Timestamps.utcSeconds(until) + " — nap" + (reason == null ? "" : ": " + reason.replace('\n', ' ')) + "\n");
            } catch (IOException e) {
                throw new NetskyException("cannot write quiet sentinel " + f + ": " + e.getMessage());
            }
            sentinel = f.toString();
        }
        var naps = new Naps(ctx.paths());
        naps.cancel(a); // a new nap replaces the previous one, and its quiet window
        var nap = new Naps.Nap(a.name(), until.getEpochSecond(), reason, now.getEpochSecond(), sentinel);
        naps.save(nap);
        if (json) {
            ctx.out().println(JsonReport.render("nap", "green", a + " naps until " + Timestamps.utcSeconds(until), nap.json()));
            return;
        }
        Ui.line(ctx.out(), "nap", a + " naps for " + Naps.human(d) + " until " + Timestamps.utcSeconds(until)
                + (sentinel == null ? "" : " (hang pages suppressed)") + "; woken by a wake envelope (`netsky nap cancel` to wake early)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show pending naps.")
    static final class ListNaps implements Runnable {
        private final CliContext ctx;

        ListNaps(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json") boolean json;

        public void run() {
            List<Naps.Nap> all = new Naps(ctx.paths()).list();
            if (json) {
                ctx.out().println(JsonReport.render("nap", "green", all.size() + " nap(s)", Map.of("naps", all.stream().map(Naps.Nap::json).toList())));
                return;
            }
            if (all.isEmpty()) Ui.line(ctx.out(), "nap", "no naps pending");
            long now = Instant.now().getEpochSecond();
            for (var n : all) {
                Ui.line(ctx.out(), "nap", n.agent() + " until " + Timestamps.utcSeconds(Instant.ofEpochSecond(n.untilEpoch()))
                        + " (" + (n.untilEpoch() > now ? "in " + Naps.human(Duration.ofSeconds(n.untilEpoch() - now)) : "due") + ")"
                        + (n.reason() == null ? "" : " — " + n.reason()));
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "End a nap now: removes it and its quiet window; wakes the agent at once unless --silent.")
    static final class Cancel implements Runnable {
        private final CliContext ctx;

        Cancel(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--agent", paramLabel = "<id>", description = "Whose nap (default: the caller, from AGENT_N; else agent0).")
        String agent;

        @Option(names = "--silent", description = "Do not send the wake envelope.")
        boolean silent;

        public void run() {
            AgentId a = who(ctx, agent);
            var nap = new Naps(ctx.paths()).cancel(a);
            if (nap.isEmpty()) {
                Ui.line(ctx.out(), "nap", a + " is not napping; nothing to cancel");
                return;
            }
            if (!silent) wake(ctx, nap.get(), "nap cancelled");
            Ui.line(ctx.out(), "nap", "cancelled " + a + "'s nap" + (silent ? "" : "; wake envelope sent"));
        }
    }

    @Command(name = "tick", mixinStandardHelpOptions = true, description = "Wake every agent whose nap has ended (the ticker runs this each beat).")
    static final class Tick implements Runnable {
        private final CliContext ctx;

        Tick(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json") boolean json;

        public void run() {
            var woken = new Naps(ctx.paths()).deliverDue(Instant.now(), n -> wake(ctx, n, "nap ended"));
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("woken", woken.stream().map(Naps.Nap::agent).toList());
                ctx.out().println(JsonReport.render("nap", "green", woken.size() + " woken", data));
                return;
            }
            woken.forEach(n -> Ui.line(ctx.out(), "nap", "woke " + n.agent()));
        }
    }

    static void wake(CliContext ctx, Naps.Nap n, String why) {
        String text = "wake: " + why + " (" + n.agent() + " napped until " + Timestamps.utcSeconds(Instant.ofEpochSecond(n.untilEpoch())) + ")"
                + (n.reason() == null ? "" : " — " + n.reason());
        new EnvelopeWriter(ctx.paths()).send(AgentId.of(n.agent()), Envelope.now(AgentId.AGENTINFINITY.name(), text)
                .withTo(n.agent()).withKind("wake").withId("wake-" + n.agent() + "-" + n.untilEpoch()));
    }
}
