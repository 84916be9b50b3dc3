package ai.netsky.channels;

import ai.netsky.core.Envelope;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Delivery by MCP push: one {@code notifications/claude/channel} per envelope. */
public final class PushDelivery implements DeliverySink {
    private final McpChannelServer server;

    public PushDelivery(McpChannelServer server) {
        this.server = server;
    }

    /** The push meta: {@code from, chat_id (= from), ts, id?, kind?, thread?} — plain identifier keys. */
    public static Map<String, String> meta(Envelope env) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("from", env.from());
        meta.put("chat_id", env.from());
        meta.put("ts", env.ts());
        if (env.id() != null) meta.put("id", env.id());
        if (env.kind() != null) meta.put("kind", env.kind());
        if (env.thread() != null) meta.put("thread", env.thread());
        return meta;
    }

    @Override
    public void deliver(Envelope env) throws NotDelivered {
        if (!server.isInitialized()) throw new NotDelivered("the MCP client has not finished its handshake", false);
        try {
            server.push(env.text(), meta(env));
        } catch (UncheckedIOException gone) {
            throw new NotDelivered("the MCP client closed the connection (" + gone.getCause().getMessage() + ")", true);
        }
    }

    @Override
    public String name() {
        return "channel";
    }
}
