package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.McpConfig;
import ai.netsky.lifecycle.stub.InboxTransport;
import ai.netsky.lifecycle.stub.McpTransport;
import java.io.IOException;
import java.nio.file.Files;
import ai.netsky.lifecycle.stub.StubAgent;
import ai.netsky.lifecycle.stub.StubTransport;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky stub-agent}: the built-in scripted agent a {@code --type stub} pane runs (who it is
 * comes from {@code AGENT_N}). Prints in its pane what it received and did.
 */
@Command(name = "stub-agent", mixinStandardHelpOptions = true,
        description = {"The built-in scripted agent (runs inside a --type stub pane; AGENT_N says who it is).",
                "Replies pong to ping, acks shutdown and exits, acknowledges handoffs."})
public final class StubAgentCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext ctx;

    StubAgentCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--mcp-config", paramLabel = "<file>", description = "Per-agent MCP config whose servers the stub starts over stdio.")
    Path mcpConfig;

    @Option(names = "--max-run", paramLabel = "<s>", defaultValue = "0", description = "Exit after this many seconds (0 = run until shutdown).")
    long maxRun;

    @Option(names = "--transport", paramLabel = "auto|mcp|inbox", defaultValue = "auto",
            description = "mcp: start the config's MCP servers and hear pushes (auto when --mcp-config is given); inbox: read the inbox directly.")
    String transportName;

    @Override
    public Integer call() {
        AgentId self = ctx.self();
        String mode = transportName.equals("auto") ? (mcpConfig != null ? "mcp" : "inbox") : transportName;
        StubTransport transport = switch (mode) {
            case "mcp" -> {
                if (mcpConfig == null) throw new NetskyException("--transport mcp needs --mcp-config <file>");
                String json;
                try {
                    json = Files.readString(mcpConfig);
                } catch (IOException e) {
                    throw new NetskyException("cannot read MCP config " + mcpConfig + ": " + e.getMessage() + "; respawn the agent to rewrite it");
                }
                yield new McpTransport(McpConfig.parse(json), line -> StubAgent.say(self, ctx.out(), line));
            }
            case "inbox" -> new InboxTransport(ctx.paths(), self);
            default -> throw new NetskyException("unknown --transport '" + transportName + "'; use auto, mcp or inbox");
        };
        try (transport) {
            Duration run = maxRun > 0 ? Duration.ofSeconds(maxRun) : Duration.ofDays(3650);
            return new StubAgent(self, transport, ctx.paths().agentStateFile(self, "ready"), ctx.out()).run(run);
        }
    }
}
