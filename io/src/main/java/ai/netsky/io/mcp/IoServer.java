package ai.netsky.io.mcp;

import ai.netsky.channels.McpChannelServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/** Runs one {@link IoSource} as a stdio MCP server until the client closes stdin. */
public final class IoServer {
    private IoServer() {}

    public static void serve(IoSource source, InputStream in, OutputStream out, PrintStream log) throws InterruptedException {
        String name = source.spec().name();
        for (String note : source.startupNotes()) log.println("[netsky io " + name + "] " + note);
        try (source; McpChannelServer server = McpChannelServer.start(source.spec(), in, out, log)) {
            server.onInitialized(() -> source.start(SafePush.wrap(server::push), log));
            server.awaitClose();
        }
    }
}
