package ai.netsky.cli;

import ai.netsky.channels.AgentSource;
import ai.netsky.channels.DeliveryMode;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky io …}: netsky-io, the MCP channel servers and their access lists (spec io.md §5). */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = "Channel servers (MCP over stdio) and owner I/O: serve, access lists, peers.",
        subcommands = {IoCommand.Serve.class, PeerCommand.class})
public final class IoCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run one channel source as a stdio MCP server (started by the agent CLI from its MCP config).")
    static final class Serve implements Runnable {
        private final CliContext ctx;

        Serve(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--source", required = true, paramLabel = "<name>",
                description = "Source to serve: agent (this agent's bus inbox; identity from AGENT_N),"
                        + " peer (the long-running cross-machine bridge; see `netsky io peer --help`).")
        String source;

        @Option(names = "--delivery", paramLabel = "<mode>",
                description = "agent source: channel (MCP push), nudge (paste into the agent's tmux pane) or auto"
                        + " (default: channels.agent.delivery / NETSKY_DELIVERY, else auto).")
        String delivery;

        @Override
        public void run() {
            switch (source) {
                case "agent" -> serveAgent();
                case "peer" -> PeerCommand.serve(ctx);
                default -> throw new NetskyException("unknown io source '" + source + "'; run `netsky io serve --help` for the list");
            }
        }

        private void serveAgent() {
            DeliveryMode mode = DeliveryMode.parse(ctx.config().string(ConfigKey.DELIVERY, delivery));
            try {
                AgentSource.serve(ctx.self(), ctx.paths(), mode, ctx.env(), ctx.in(), ctx.out(), ctx.err());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
