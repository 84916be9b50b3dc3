package ai.netsky.cli;

import ai.netsky.core.NetskyException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code netsky gates [name] [--json]}: the safety gates netsky enforces (read-only). */
@Command(name = "gates", mixinStandardHelpOptions = true,
        description = "List the safety gates netsky enforces: signal, condition, action, memory, reversibility, and the class that enforces it.")
public final class GatesCommand implements Runnable {
    private final CliContext ctx;

    GatesCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", arity = "0..1", paramLabel = "<name>", description = "Show one gate in full.")
    String name;

    @Option(names = "--json", description = "Print the JSON report.")
    boolean json;

    @Override
    public void run() {
        List<Gate> gates = Gate.ALL;
        if (name != null) {
            gates = Gate.ALL.stream().filter(g -> g.name().equals(name)).toList();
            if (gates.isEmpty()) {
                throw new NetskyException("unknown gate '" + name + "'; known: " + String.join(", ", Gate.ALL.stream().map(Gate::name).toList()));
            }
        }
        if (json) {
            ctx.out().println(JsonReport.render("gates", "green", gates.size() + " gate(s)", Map.of("gates", gates.stream().map(Gate::json).toList())));
            return;
        }
        if (name == null) {
            int w = Gate.ALL.stream().mapToInt(g -> g.name().length()).max().orElse(10);
            for (Gate g : gates) ctx.out().printf("%-" + w + "s  %s → %s%n", g.name(), g.condition(), g.action());
            ctx.out().println("(netsky gates <name> shows one in full)");
            return;
        }
        Gate g = gates.get(0);
        ctx.out().println(g.name());
        ctx.out().println("  signal:        " + g.signal());
        ctx.out().println("  condition:     " + g.condition());
        ctx.out().println("  action:        " + g.action());
        ctx.out().println("  memory:        " + g.memory());
        ctx.out().println("  reversibility: " + g.reversibility());
        ctx.out().println("  enforced by:   " + g.where());
    }
}
