package ai.netsky.io.mcp;

import ai.netsky.channels.McpChannelServer;
import java.io.PrintStream;
import java.util.Map;

/**
 * One {@code netsky io serve --source <name>} source: the MCP spec it serves (name, instructions,
 * tools) and what it pushes once the client is connected. Sources log to {@code log} (stderr),
 * never to stdout, which carries JSON-RPC only.
 */
public interface IoSource extends AutoCloseable {
    McpChannelServer.Spec spec();

    /** A channel notification sink: {@code notifications/claude/channel {content, meta}}. */
    @FunctionalInterface
    interface Push {
        void push(String content, Map<String, String> meta);
    }

    /** Called once after the client's {@code notifications/initialized}: start watchers here. */
    default void start(Push push, PrintStream log) {}

    /** Lines printed on stderr when the server starts (e.g. that sending needs macOS). */
    default java.util.List<String> startupNotes() { return java.util.List.of(); }

    @Override
    default void close() {}
}
