package ai.netsky.store;

import java.time.Instant;

/**
 * Everything netsky records in meta.db, one record per kind of fact. Each maps to one row of one
 * table ({@link Rows}); callers build an event and hand it to {@link EventStore#record}, which never
 * throws: a failed write goes to the spool instead.
 */
public sealed interface Event {
    Instant ts();

    /** {@code sessions}: an agent's session came up, went down, or got a note; {@code sessionNum} is N of agentN (null for agentinfinity). */
    record Session(Instant ts, String agent, Integer sessionNum, SessionKind kind, String detail) implements Event {}

    enum SessionKind { UP, DOWN, NOTE }

    /** {@code clone_dispatches}: `netsky agent N` (or up) spawned or reused a clone. */
    record CloneDispatch(Instant ts, String agent, String runtime, boolean fresh, String outcome, String detail) implements Event {}

    /** {@code communication_events}: an envelope was sent, delivered or quarantined. */
    record EnvelopeEvent(Instant ts, EnvelopeKind kind, String envelopeId, String from, String to, String envelopeKind,
                         String delivery, String preview, String detail) implements Event {}

    enum EnvelopeKind { SENT, DELIVERED, QUARANTINED }

    /** An envelope event from the envelope itself; the preview is its first 120 characters. */
    static EnvelopeEvent envelope(EnvelopeKind kind, ai.netsky.core.Envelope env, String delivery, String detail) {
        String text = env.text();
        String preview = text == null ? null : text.length() > 120 ? text.substring(0, 117) + "..." : text;
        return new EnvelopeEvent(Instant.now(), kind, env.id(), env.from(), env.to(), env.kind(), delivery, preview, detail);
    }

    /** {@code ticks}: one ticker beat or watchdog pass. */
    record Tick(Instant ts, String source, String detailJson) implements Event {}

    /** {@code watchdog_events}: something the watchdog saw or did. */
    record WatchdogEvent(Instant ts, String name, String agent, String severity, String status, String detail) implements Event {}

    /** {@code crashes}: an agent's session vanished or its pane exited. */
    record Crash(Instant ts, String kind, String agent, String detail) implements Event {}

    /** {@code restarts}: an agent was restarted (planned, crash recovery, revive). */
    record Restart(Instant ts, String agent, String reason, String outcome, String detail) implements Event {}

    /** {@code escalations}: a page to the owner, delivered or not. */
    record Escalation(Instant ts, String subject, boolean delivered, String channel, String detail) implements Event {}

    /** {@code mcp_tool_calls}: a tool call through one of netsky's MCP servers. */
    record ToolCall(Instant ts, String agent, String server, String tool, String argsHash, String status, long durationMs,
                    String detail) implements Event {}

    /** {@code cli_invocations}: one run of the netsky command. */
    record CliInvocation(Instant ts, String bin, String argvJson, int exitCode, long durationMs, String host) implements Event {}

    /** {@code owner_directives}: an owner instruction and what netsky resolved it to. */
    record Directive(Instant ts, String source, String chatId, String rawText, String resolvedAction, String agent,
                     String status, String detail) implements Event {}

    /** {@code token_usage}: one model turn's tokens and cost (from `ingest claude-sessions`). */
    record TokenUsage(Instant ts, String agent, String sessionId, String messageId, String model, long inputTokens,
                      long outputTokens, long cacheCreationTokens, long cacheReadTokens, double costUsd, String sourceFile) implements Event {}
}
