package ai.netsky.io.demo;

import ai.netsky.channels.ChannelTool;
import ai.netsky.channels.McpChannelServer;
import ai.netsky.core.Names;
import ai.netsky.core.Timestamps;
import ai.netsky.io.mcp.IoSource;
import ai.netsky.io.mcp.Poller;
import ai.netsky.io.mcp.Tools;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code netsky io serve --source demo}: the first channel a new user wires into an agent. It
 * pushes a welcome event, then a sample event every interval (a fixed, small set), and its
 * {@code reply} tool echoes the text back as a new event — a full round trip with no account.
 */
public final class DemoSource implements IoSource {
    static final List<String> SAMPLES = List.of(
            "Sample event 1: the build on main passed.",
            "Sample event 2: a teammate asked for a status update; reply with one line.",
            "Sample event 3: reminder — stand-up in 10 minutes.");

    private final Duration interval;
    private final int maxSamples;
    private final AtomicInteger sent = new AtomicInteger();
    private volatile Push push;
    private Poller poller;

    public DemoSource(Duration interval, int maxSamples) {
        this.interval = interval;
        this.maxSamples = maxSamples;
    }

    private static Map<String, String> meta(String chat) {
        return Map.of("chat_id", chat, "from", "demo", "ts", Timestamps.rfc3339Now());
    }

    @Override
    public McpChannelServer.Spec spec() {
        String instr = "This is the netsky demo channel: it sends sample events as <channel source=\"demo\" chat_id=\"demo\"> and echoes"
                + " whatever you send with the reply tool back as a new event. Use it to check that channel events reach you.";
        ChannelTool reply = new ChannelTool("reply", "Answer a demo event; the demo channel echoes the text back as a new event.",
                ChannelTool.objectSchema(Tools.props("chat_id", Tools.str("chat_id of the event (default demo)"), "text", Tools.str("your answer")), "text"),
                a -> {
                    String text = a.string("text");
                    if (text.isBlank()) return ChannelTool.Result.error("reply failed: text is empty");
                    String chat = a.optString("chat_id") == null ? "demo" : a.optString("chat_id");
                    Push p = push;
                    if (p != null) {
                        // Echo asynchronously so the tool result is written before the event.
                        Thread.ofVirtual().start(() -> p.push("echo: " + text, meta(chat)));
                    }
                    return Tools.json(Map.of("sent", true, "chat_id", chat, "echo", "echo: " + text));
                });
        return new McpChannelServer.Spec("demo", Names.VERSION, instr, List.of(reply));
    }

    @Override
    public void start(Push push, PrintStream log) {
        this.push = push;
        push.push("Welcome to the netsky demo channel. Answer with the reply tool and the text comes back as an echo.", meta("demo"));
        if (interval.isZero() || maxSamples <= 0) return;
        poller = Poller.every("demo samples", interval, () -> {
            int n = sent.get();
            if (n == 0) {
                sent.incrementAndGet(); // the first beat fires at once; samples start one interval after the welcome
                return;
            }
            if (n > maxSamples) return;
            push.push(SAMPLES.get((n - 1) % SAMPLES.size()), meta("demo"));
            sent.incrementAndGet();
        }, log);
    }

    @Override
    public void close() {
        if (poller != null) poller.close();
    }
}
