package ai.netsky.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The status an agent's Claude Code hooks report ({@code netsky hooks emit <event>}), one JSON file
 * per agent: {@code ~/.netsky/state/<agent>-hook-status.json}. {@code status}/{@code doctor} read it
 * as one signal among others (tmux session alive, pane content, inbox depth); it is never the only
 * proof of liveness because a killed agent fires no hook.
 *
 * <pre>{"agent":"agent1","state":"working","event":"UserPromptSubmit","ts":"2026-12-02T06:00:00Z",
 *  "epoch_ms":1796191200000,"session_id":"…","cwd":"/home/u/netsky","message":null,
 *  "notification_type":null,"events":{"SessionStart":"…Z","UserPromptSubmit":"…Z"}}</pre>
 *
 * {@code state}: {@code idle} after SessionStart, Stop or an idle-prompt Notification; {@code working}
 * after UserPromptSubmit; {@code waiting} after any other Notification (e.g. a permission prompt):
 * the agent needs someone to answer. {@code events} keeps the last time of each event.
 */
public record HookStatus(String agent, String state, String event, String ts, long epochMs, String sessionId, String cwd,
                         String message, String notificationType, Map<String, String> events) {

    public enum Event {
        SessionStart, UserPromptSubmit, Stop, Notification;

        public static Optional<Event> parse(String s) {
            for (Event e : values()) if (e.name().equalsIgnoreCase(s)) return Optional.of(e);
            return Optional.empty();
        }
    }

    public static Path file(NetskyPaths paths, AgentId agent) {
        return paths.agentStateFile(agent, "hook-status.json");
    }

    /** The state an event implies; {@code payload} is the hook's stdin JSON (may be null). */
    public static String stateFor(Event e, JsonNode payload) {
        return switch (e) {
            case SessionStart, Stop -> "idle";
            case UserPromptSubmit -> "working";
            case Notification -> {
                String type = text(payload, "notification_type");
                String msg = text(payload, "message");
                boolean idle = "idle_prompt".equals(type) || (type == null && msg != null && msg.toLowerCase().contains("waiting for your input"));
                yield idle ? "idle" : "waiting";
            }
        };
    }

    /**
     * Records {@code event} for {@code agent}: read-modify-write under a lock file (hooks of one agent
     * can fire at once), replaced atomically so a reader never sees half a file.
     */
    public static HookStatus record(NetskyPaths paths, AgentId agent, Event event, JsonNode payload, Instant now) {
        paths.ensureDir(paths.stateDir());
        Path file = file(paths, agent);
        Path lock = paths.stateDir().resolve("." + agent.name() + "-hook-status.lock");
        NetskyPaths.assertNoSymlinkUnder(paths.home(), lock);
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE); var held = ch.lock()) {
            Map<String, String> events = new LinkedHashMap<>(read(paths, agent).map(HookStatus::events).orElse(Map.of()));
            String ts = Timestamps.utcSeconds(now);
            events.put(event.name(), ts);
            HookStatus s = new HookStatus(agent.name(), stateFor(event, payload), event.name(), ts, now.toEpochMilli(),
                    text(payload, "session_id"), text(payload, "cwd"), text(payload, "message"), text(payload, "notification_type"), events);
            AtomicFiles.replace(file, EnvelopeCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(s.toJson()) + "\n");
            return s;
        } catch (IOException e) {
            throw new NetskyException("cannot record hook status in " + file + ": " + e.getMessage() + "; check ~/.netsky/state permissions", e);
        }
    }

    public static Optional<HookStatus> read(NetskyPaths paths, AgentId agent) {
        Path file = file(paths, agent);
        JsonNode n;
        try {
            n = EnvelopeCodec.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // a torn or foreign file is no signal, not an error
        }
        Map<String, String> events = new LinkedHashMap<>();
        JsonNode ev = n.get("events");
        if (ev != null && ev.isObject()) ev.properties().forEach(p -> events.put(p.getKey(), p.getValue().asString()));
        JsonNode ms = n.get("epoch_ms");
        return Optional.of(new HookStatus(text(n, "agent"), text(n, "state"), text(n, "event"), text(n, "ts"),
                ms == null ? 0 : ms.asLong(), text(n, "session_id"), text(n, "cwd"), text(n, "message"), text(n, "notification_type"), events));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", agent);
        m.put("state", state);
        m.put("event", event);
        m.put("ts", ts);
        m.put("epoch_ms", epochMs);
        m.put("session_id", sessionId);
        m.put("cwd", cwd);
        m.put("message", message);
        m.put("notification_type", notificationType);
        m.put("events", events);
        return m;
    }

    private static String text(JsonNode n, String field) {
        if (n == null) return null;
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }
}
