package ai.netsky.core;

import java.util.List;
import java.util.Optional;

/**
 * A setting netsky understands: its dotted key in {@code netsky.toml}, the environment variable that
 * overrides it (or null), its type and compiled default. Precedence: CLI flag > env > file > default.
 */
public record ConfigKey(String key, String envVar, Type type, String defaultValue, String help) {

    public enum Type { STRING, INTEGER, BOOLEAN }

    public static final ConfigKey RUNTIME = new ConfigKey("netsky.runtime", "AGENT_RUNTIME", Type.STRING, "claude",
            "default agent runtime for up/agent: claude, codex or stub");
    public static final ConfigKey OWNER_NAME = new ConfigKey("owner.name", "NETSKY_OWNER_NAME", Type.STRING, "owner",
            "how agents address the owner");
    public static final ConfigKey OWNER_IMESSAGE = new ConfigKey("owner.imessage", "NETSKY_OWNER_IMESSAGE", Type.STRING, null,
            "the owner's iMessage handle, used by escalate");
    public static final ConfigKey OWNER_EMAIL = new ConfigKey("owner.email", "NETSKY_OWNER_EMAIL", Type.STRING, null,
            "the owner's email address, used by escalate and morning --send");
    public static final ConfigKey NOTIFY_COMMAND = new ConfigKey("owner.notify_command", "NETSKY_NOTIFY_COMMAND", Type.STRING, null,
            "escalation hook: a program (split on spaces, no shell) run with the message as its last argument");
    public static final ConfigKey CLONES_DEFAULT = new ConfigKey("clones.default_count", "NETSKY_CLONES", Type.INTEGER, "0",
            "clones `netsky up` starts when N is not given");
    public static final ConfigKey CLAUDE_MODEL = new ConfigKey("clones.claude_model", "AGENT_CLAUDE_MODEL", Type.STRING, null,
            "model passed to Claude Code (--model); unset uses Claude Code's default");
    public static final ConfigKey CODEX_MODEL = new ConfigKey("clones.codex_model", "AGENT_CODEX_MODEL", Type.STRING, "gpt-5.4",
            "model passed to Codex");
    public static final ConfigKey DELIVERY = new ConfigKey("channels.agent.delivery", "NETSKY_DELIVERY", Type.STRING, "auto",
            "how envelopes reach an agent: channel (MCP push), nudge (paste into the pane) or auto");
    public static final ConfigKey IMESSAGE_WATCH_INTERVAL_MS = new ConfigKey("channels.imessage.watch_interval_ms", "NETSKY_IO_WATCH_INTERVAL_MS", Type.INTEGER, "750",
            "how often the imessage source polls chat.db for new messages (minimum 100)");
    public static final ConfigKey IMESSAGE_WATCH = new ConfigKey("channels.imessage.watch", "NETSKY_IO_WATCH", Type.BOOLEAN, "true",
            "whether the imessage source pushes new allowlisted messages as channel notifications");
    public static final ConfigKey EMAIL_WATCH_INTERVAL_S = new ConfigKey("channels.email.watch_interval_s", "NETSKY_EMAIL_WATCH_INTERVAL_S", Type.INTEGER, "60",
            "how often the email source checks each account's inbox for allowlisted senders (0 = no watch)");
    public static final ConfigKey CALENDAR_POLL_INTERVAL_S = new ConfigKey("channels.calendar.poll_interval_s", "NETSKY_CALENDAR_POLL_INTERVAL_S", Type.INTEGER, "60",
            "how often the calendar source checks for due reminders (0 = no reminders)");
    public static final ConfigKey CALENDAR_REMINDER_MINUTES = new ConfigKey("channels.calendar.reminder_minutes", "NETSKY_CALENDAR_REMINDER_MINUTES", Type.INTEGER, "10",
            "minutes before an event (without its own VALARM) its reminder is pushed");
    public static final ConfigKey GRACEFUL_TIMEOUT_S = new ConfigKey("tuning.graceful_timeout_s", "NETSKY_GRACEFUL_TIMEOUT_S", Type.INTEGER, "60",
            "seconds `netsky down` waits for each agent to close or ack");
    public static final ConfigKey READY_TIMEOUT_S = new ConfigKey("tuning.ready_timeout_s", "NETSKY_READY_TIMEOUT_S", Type.INTEGER, "120",
            "seconds `netsky up` waits for agents to be ready");
    public static final ConfigKey TICKER_INTERVAL_S = new ConfigKey("tuning.ticker_interval_s", "NETSKY_TICKER_INTERVAL_S", Type.INTEGER, "60",
            "seconds between ticker beats");
    public static final ConfigKey HANG_THRESHOLD_S = new ConfigKey("tuning.hang_threshold_s", "NETSKY_HANG_THRESHOLD_S", Type.INTEGER, "1800",
            "seconds a pane may stay unchanged before it counts as hung");

    // Cross-machine bridge (module peer): the NATS JetStream broker and how to reach it.
    public static final ConfigKey PEER_URL = new ConfigKey("peers.url", "NETSKY_PEER_URL", Type.STRING, "nats://127.0.0.1:4222",
            "NATS broker(s) for the peer bridge, comma-separated; tls://host:port forces TLS");
    public static final ConfigKey PEER_STREAM = new ConfigKey("peers.stream", "NETSKY_PEER_STREAM", Type.STRING, "NETSKY_PEER",
            "JetStream stream that holds envelopes in flight between hosts");
    public static final ConfigKey PEER_SUBJECT_PREFIX = new ConfigKey("peers.subject_prefix", "NETSKY_PEER_SUBJECT_PREFIX", Type.STRING, "netsky.peer",
            "subject prefix; each host receives on <prefix>.<its public key>");
    public static final ConfigKey PEER_MAX_AGE_S = new ConfigKey("peers.max_age_s", "NETSKY_PEER_MAX_AGE_S", Type.INTEGER, "604800",
            "seconds the stream keeps an undelivered envelope for an offline host (default 7 days)");
    public static final ConfigKey PEER_ACK_WAIT_S = new ConfigKey("peers.ack_wait_s", "NETSKY_PEER_ACK_WAIT_S", Type.INTEGER, "30",
            "seconds before the broker redelivers an envelope this host received but did not ack (e.g. after a crash)");
    public static final ConfigKey PEER_TLS_CA = new ConfigKey("peers.tls_ca", "NETSKY_PEER_TLS_CA", Type.STRING, null,
            "PEM file of CA certificates to trust for the broker's TLS certificate (turns TLS on)");
    public static final ConfigKey PEER_TLS_KEYSTORE = new ConfigKey("peers.tls_keystore", "NETSKY_PEER_TLS_KEYSTORE", Type.STRING, null,
            "PKCS#12 file with a client certificate for mutual TLS; password in NETSKY_PEER_TLS_KEYSTORE_PASSWORD");
    public static final ConfigKey PEER_CREDS = new ConfigKey("peers.creds", "NETSKY_PEER_CREDS", Type.STRING, null,
            "NATS .creds file (user JWT + seed) for brokers that require authentication");

    public static final List<ConfigKey> ALL = List.of(RUNTIME, OWNER_NAME, OWNER_IMESSAGE, OWNER_EMAIL, NOTIFY_COMMAND, CLONES_DEFAULT,
            CLAUDE_MODEL, CODEX_MODEL, DELIVERY, IMESSAGE_WATCH_INTERVAL_MS, IMESSAGE_WATCH, EMAIL_WATCH_INTERVAL_S,
            CALENDAR_POLL_INTERVAL_S, CALENDAR_REMINDER_MINUTES, GRACEFUL_TIMEOUT_S, READY_TIMEOUT_S, TICKER_INTERVAL_S, HANG_THRESHOLD_S,
            PEER_URL, PEER_STREAM, PEER_SUBJECT_PREFIX, PEER_MAX_AGE_S, PEER_ACK_WAIT_S, PEER_TLS_CA, PEER_TLS_KEYSTORE, PEER_CREDS);

    /** Top-level tables netsky.toml may hold (spec core.md "Config"). Anything else is a typo. */
    public static final List<String> SECTIONS = List.of("schema_version", "netsky", "owner", "addendum", "clones",
            "channels", "orgs", "tuning", "peers");

    public static Optional<ConfigKey> find(String key) {
        return ALL.stream().filter(k -> k.key.equals(key)).findFirst();
    }

    /** Allowed values of enumerated string keys (the commands that read them accept exactly these). */
    private static final java.util.Map<String, List<String>> CHOICES = java.util.Map.of(
            "netsky.runtime", List.of("claude", "codex", "stub"),
            "channels.agent.delivery", List.of("channel", "nudge", "auto"));

    /** Smallest sensible value of integer keys; absent means any integer >= 0. */
    private static final java.util.Map<String, Long> MINIMUM = java.util.Map.of(
            "tuning.graceful_timeout_s", 1L,
            "tuning.ready_timeout_s", 1L,
            "tuning.ticker_interval_s", 1L,
            "tuning.hang_threshold_s", 1L);

    public List<String> choices() {
        return CHOICES.getOrDefault(key, List.of());
    }

    /**
     * Validates a value given as text (by {@code config set}, an env var or the file) and returns it
     * normalised; throws naming the key, the reason and what would be accepted.
     */
    public String check(String raw) {
        String v = raw == null ? "" : raw.strip();
        switch (type) {
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new NetskyException(key + " must be an integer, got '" + raw + "'; e.g. " + (defaultValue == null ? "60" : defaultValue));
                }
                long min = MINIMUM.getOrDefault(key, 0L);
                if (n < min) throw new NetskyException(key + " must be >= " + min + ", got " + n + "; pick a larger value");
                return Long.toString(n);
            }
            case BOOLEAN -> {
                if (v.equals("true") || v.equals("false")) return v;
                throw new NetskyException(key + " must be true or false, got '" + raw + "'");
            }
            default -> {
                if (v.isEmpty()) throw new NetskyException(key + " must not be empty; use `netsky config unset " + key + "` to remove it");
                if (!choices().isEmpty() && !choices().contains(v)) {
                    throw new NetskyException(key + " must be one of " + String.join(", ", choices()) + ", got '" + raw + "'");
                }
                return v;
            }
        }
    }

    /** The TOML text for a checked value of this key. */
    public String literal(String checked) {
        return type == Type.STRING ? TomlEdit.stringLiteral(checked) : checked;
    }
}
