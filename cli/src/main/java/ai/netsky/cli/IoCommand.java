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
        subcommands = {IoCommand.Serve.class, IoAccessCommand.class, PeerCommand.class})
public final class IoCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run one channel source as a stdio MCP server (started by the agent CLI from its MCP config).")
    static final class Serve implements Runnable {
        private final CliContext ctx;

        Serve(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--source", required = true, paramLabel = "<name>",
                description = "Source to serve: agent (this agent's bus inbox; identity from AGENT_N); owner channels demo, imessage, email, calendar;"
                        + " peer (the long-running cross-machine bridge; see `netsky io peer --help`).")
        String source;

        @Option(names = "--delivery", paramLabel = "<mode>",
                description = "agent source: channel (MCP push), nudge (paste into the agent's tmux pane) or auto"
                        + " (default: channels.agent.delivery / NETSKY_DELIVERY, else auto).")
        String delivery;

        @Option(names = "--no-watch", description = "Owner sources (imessage, email, calendar): serve the tools only, push nothing.")
        boolean noWatch;

        @Override
        public void run() {
            switch (source) {
                case "agent" -> serveAgent();
                case "demo", "imessage", "email", "calendar" -> serveOwnerSource();
                case "peer" -> PeerCommand.serve(ctx);
                default -> throw new NetskyException("unknown io source '" + source + "'; run `netsky io serve --help` for the list");
            }
        }

        private void serveAgent() {
            DeliveryMode mode = DeliveryMode.parse(ctx.config().string(ConfigKey.DELIVERY, delivery));
            try {
                var self = ctx.self();
                AgentSource.serve(self, ctx.paths(), mode, ctx.env(), ctx.in(), ctx.out(), ctx.err(), env -> ctx.record(ai.netsky.store.Event.envelope(
                        ai.netsky.store.Event.EnvelopeKind.DELIVERED, env.to() == null ? env.withTo(self.name()) : env, mode.label(), null)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endProcessIfServingOwnStdio();
        }

        /**
         * A stdio MCP server ends when its client closes stdin. The MCP SDK leaves non-daemon executor
         * threads behind after its session closed, which would keep the JVM (and a stray server) alive, so
         * when this run served the process's own stdio the process ends here. In-process runs (tests give
         * their own streams) just return.
         */
        private void endProcessIfServingOwnStdio() {
            if (ctx.in() == System.in && ctx.out() == System.out) {
                ctx.out().flush();
                System.exit(0);
            }
        }

        /** The owner I/O sources live in the io module (spec io.md §6); stderr carries their notes, stdout only JSON-RPC. */
        private void serveOwnerSource() {
            var src = ai.netsky.io.IoSources.create(source, ctx.env(), ctx.config(), !noWatch);
            try {
                ai.netsky.io.mcp.IoServer.serve(src, ctx.in(), ctx.out(), ctx.err());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endProcessIfServingOwnStdio(); // same SDK threads as the agent source
        }
    }
}
