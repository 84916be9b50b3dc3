package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyException;
import ai.netsky.store.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code netsky channel send|drain}: the agent bus from the command line (spec io.md §4). */
@Command(name = "channel", mixinStandardHelpOptions = true,
        description = "Send envelopes to an agent's inbox, or drain an inbox (for agents without MCP push).",
        subcommands = {ChannelCommand.Send.class, ChannelCommand.Drain.class})
public final class ChannelCommand {

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Write one envelope into <agent>'s inbox. from = your AGENT_N identity, else agent0.")
    static final class Send implements Runnable {
        private final CliContext ctx;

        Send(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<agent>", description = "Recipient, e.g. agent0, agent3, agentinfinity, or agent1@hostb on a peer host.")
        String to;

        @Parameters(index = "1", paramLabel = "<text|->", description = "Message text; '-' reads it from stdin.")
        String text;

        @Option(names = "--from", description = "Sender id (default: from AGENT_N, else agent0).")
        String from;

        @Option(names = "--kind", description = "Envelope kind, e.g. brief, reply, shutdown.")
        String kind;

        @Option(names = "--reply-to", paramLabel = "<id>", description = "Id of the envelope this answers (in_reply_to).")
        String replyTo;

        @Option(names = "--thread", description = "Conversation id.")
        String thread;

        @Option(names = "--id", description = "Envelope id (default: <from>-<16 hex>, so the recipient's reply carries in_reply_to).")
        String id;

        @Option(names = "--requires-ack", description = "Ask the recipient for an ack.")
        boolean requiresAck;

        @Override
        public void run() {
            String target = parseAddress(to);
            String sender = from != null ? parseAgent(from).name() : ctx.self().name();
            String body = text;
            if ("-".equals(text)) {
                try {
                    body = new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new NetskyException("cannot read message text from stdin: " + e.getMessage());
                }
            }
            Envelope env = Envelope.now(sender, body).withTo(target).withKind(kind).withInReplyTo(replyTo)
                    .withThread(thread).withId(id != null ? id : ai.netsky.channels.EnvelopeIds.next(sender)).withRequiresAck(requiresAck ? Boolean.TRUE : null);
            // <agent>@<peer> lands in the peer outbox; the bridge (`netsky io serve --source peer`) publishes it.
            Path written = new EnvelopeWriter(ctx.paths()).deliver(target, env);
            Ui.line(ctx.out(), "channel", (target.indexOf('@') >= 0 ? "queued for " + target + " in the peer outbox: " : "sent to " + target + ": ")
                    + written.getFileName());
            ctx.record(Event.envelope(Event.EnvelopeKind.SENT, env, "file", written.getFileName().toString()));
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Print each pending envelope of <agent> as a channel block (oldest first) and move it to processed/.")
    static final class Drain implements Runnable {
        private final CliContext ctx;

        Drain(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<agent>")
        String agent;

        @Option(names = "--json", description = "Print the drained envelopes as one JSON report.")
        boolean json;

        @Override
        public void run() {
            AgentId id = parseAgent(agent);
            Inbox inbox = new Inbox(ctx.paths(), id);
            List<Map<String, Object>> drained = new ArrayList<>();
            int quarantined = 0;
            for (Path file : inbox.pending()) {
                Inbox.Item item = inbox.read(file);
                switch (item) {
                    case null -> { }
                    case Inbox.Malformed bad -> {
                        if (inbox.quarantine(bad.path(), bad.reason())) {
                            quarantined++;
                            ctx.record(new Event.EnvelopeEvent(java.time.Instant.now(), Event.EnvelopeKind.QUARANTINED, null, null, id.name(), null,
                                    "drain", null, bad.path().getFileName() + ": " + bad.reason()));
                            Ui.line(ctx.err(), "channel", "quarantined " + bad.path().getFileName() + ": " + bad.reason());
                        }
                    }
                    case Inbox.Ready ready -> {
                        if (!inbox.markProcessed(ready.path())) continue; // another drain took it
                        ctx.record(Event.envelope(Event.EnvelopeKind.DELIVERED, ready.envelope(), "drain", ready.path().getFileName().toString()));
                        if (json) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("file", ready.path().getFileName().toString());
                            row.put("envelope", ready.envelope());
                            drained.add(row);
                        } else {
                            ctx.out().println(Inbox.renderChannelBlock("agent", ready.envelope()));
                        }
                    }
                }
            }
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("agent", id.name());
                data.put("envelopes", drained);
                data.put("quarantined", quarantined);
                ctx.out().println(JsonReport.render("channel drain", "green", drained.size() + " envelope(s) drained for " + id, data));
            }
        }
    }

    /** A local agent id, or {@code <agent>@<peer>} for an agent on another host (through the peer bridge). */
    static String parseAddress(String raw) {
        if (!ai.netsky.core.EnvelopeRules.isValidAddress(raw)) {
            throw new NetskyException("unknown agent id '" + raw + "': agents are agent0, agent<N> (clones), agentinfinity,"
                    + " or <agent>@<peer> for another host (`netsky io peer list`)");
        }
        return raw;
    }

    static AgentId parseAgent(String raw) {
        if (!AgentId.isValid(raw)) {
            throw new NetskyException("unknown agent id '" + raw + "': agents are agent0, agent<N> (clones) or agentinfinity");
        }
        return AgentId.of(raw);
    }
}
