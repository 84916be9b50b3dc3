package ai.netsky.lifecycle.stub;

import java.time.Duration;
import java.util.Optional;

/**
 * How the stub agent hears and answers the bus. {@link McpTransport} is the real path — the agent
 * channel server over stdio, exactly as Claude Code runs it; {@link InboxTransport} reads the inbox
 * directly, for when no channel server is configured.
 */
public interface StubTransport extends AutoCloseable {
    /** {@code mcp} or {@code inbox}, shown in the pane. */
    String name();

    /** Connects (for MCP: starts the servers and does the handshake). */
    void start();

    /** The next message, waiting at most {@code wait}. */
    Optional<Inbound> next(Duration wait);

    /** Answers {@code to}: an envelope to its sender with {@code kind} and {@code in_reply_to} = its id. */
    void reply(Inbound to, String kind, String text);

    @Override
    void close();

    /** One message as the agent sees it. */
    record Inbound(String id, String from, String kind, String text) {}
}
