package ai.netsky.channels;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeRules;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent source's tools. {@code reply {chat_id?, text}} answers the last envelope delivered from
 * {@code chat_id} (or, without it, the last envelope delivered at all): to its sender, with
 * {@code in_reply_to} = its id and {@code thread}/{@code swarm} carried over. {@code send {to, text, kind?}}
 * starts a new message. Both write through core's {@link EnvelopeWriter} and give every envelope an id
 * so the recipient can answer it.
 */
public final class AgentTools {
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AgentId self;
    private final EnvelopeWriter writer;
    private final java.util.function.Function<String, Envelope> history;
    private final Map<String, Envelope> lastFrom = new ConcurrentHashMap<>();
    private volatile Envelope lastAny;

    public AgentTools(AgentId self, EnvelopeWriter writer) {
        this(self, writer, from -> null);
    }

    /**
     * {@code history.apply(from)} finds the latest envelope already delivered from {@code from} (any sender
     * when null) in {@code processed/}: a restarted server (Claude Code reconnects its MCP servers) can
     * still answer what the previous one delivered.
     */
    public AgentTools(AgentId self, EnvelopeWriter writer, java.util.function.Function<String, Envelope> history) {
        this.self = self;
        this.writer = writer;
        this.history = history;
    }

    /** Called for each envelope delivered to this agent: it becomes what {@code reply} answers. */
    public void delivered(Envelope env) {
        lastFrom.put(env.from(), env);
        lastAny = env;
    }

    public List<ChannelTool> tools() {
        return List.of(
                new ChannelTool("reply",
                        "Reply to a channel message from another agent. chat_id is the chat_id attribute of the <channel> block"
                                + " you answer (defaults to the sender of the latest message); in_reply_to, thread and swarm are set for you.",
                        ChannelTool.objectSchema(Map.of(
                                "chat_id", ChannelTool.stringProperty("the sender to answer, e.g. agent0 (the chat_id of the message)"),
                                "text", ChannelTool.stringProperty("your reply"),
                                "kind", ChannelTool.stringProperty("optional kind (default reply), e.g. shutdown_ack to acknowledge a shutdown")), "text"),
                        this::reply),
                new ChannelTool("send",
                        "Send a new message to another agent's inbox (agent0, agent<N>, agentinfinity; agent<N>@<peer> on another host).",
                        ChannelTool.objectSchema(Map.of(
                                "to", ChannelTool.stringProperty("recipient agent id, e.g. agent0 or agent3"),
                                "text", ChannelTool.stringProperty("the message"),
                                "kind", ChannelTool.stringProperty("optional kind: brief, reply, error, cancel, …")), "to", "text"),
                        this::send));
    }

    ChannelTool.Result reply(ChannelTool.Arguments args) {
        String text = args.string("text");
        String chatId = args.optString("chat_id");
        String kind = args.optString("kind");
        if (kind != null && !KIND.matcher(kind).matches()) {
            return ChannelTool.Result.error("reply failed: kind '" + kind + "' is not a lowercase word (e.g. reply, shutdown_ack)");
        }
        Envelope answered;
        String target;
        if (chatId != null && !chatId.isBlank()) {
            target = requireAgent("chat_id", chatId.strip());
            answered = lastFrom.get(target);
            if (answered == null) answered = history.apply(target);
        } else {
            answered = lastAny;
            if (answered == null) answered = history.apply(null);
            if (answered == null) return ChannelTool.Result.error("reply failed: no message has arrived to reply to; pass chat_id, or use send");
            target = answered.from();
        }
        if (!EnvelopeRules.isValidAddress(target)) {
            return ChannelTool.Result.error("reply failed: the sender '" + target + "' is not an agent address; answer it through its own channel");
        }
        Envelope env = answered != null
                ? answered.replyFrom(self.name(), text)
                : Envelope.now(self.name(), text).withTo(target).withKind("reply");
        return write("reply", target, (kind == null ? env : env.withKind(kind)).withId(newId()));
    }

    ChannelTool.Result send(ChannelTool.Arguments args) {
        String to = requireAgent("to", args.string("to").strip());
        String text = args.string("text");
        String kind = args.optString("kind");
        if (kind != null && !KIND.matcher(kind).matches()) {
            return ChannelTool.Result.error("send failed: kind '" + kind + "' is not a lowercase word (e.g. brief, reply, error)");
        }
        return write("send", to, Envelope.now(self.name(), text).withTo(to).withKind(kind).withId(newId()));
    }

    private ChannelTool.Result write(String tool, String to, Envelope env) {
        try {
            EnvelopeRules.validate(env);
            // <agent>@<peer> goes to the peer outbox, from where the bridge (`io serve --source peer`) sends it.
            Path file = writer.deliver(to, env);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("sent", true);
            out.put("to", to);
            out.put("id", env.id());
            if (env.inReplyTo() != null) out.put("in_reply_to", env.inReplyTo());
            out.put("file", file.getFileName().toString());
            return ChannelTool.Result.ok(JSON.writeValueAsString(out));
        } catch (NetskyException bad) {
            return ChannelTool.Result.error(tool + " failed: " + bad.getMessage());
        }
    }

    private static String requireAgent(String field, String id) {
        if (!EnvelopeRules.isValidAddress(id)) {
            throw new ChannelTool.BadArgument(field + " '" + id + "' is not an agent id: use agent0, agent<N> or agentinfinity"
                    + " (or <agent>@<peer> for an agent on another host)");
        }
        return id;
    }

    private String newId() {
        return EnvelopeIds.next(self.name());
    }
}
