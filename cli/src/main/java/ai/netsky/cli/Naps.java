package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.AtomicFiles;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Pending naps: one per agent in {@code ~/.netsky/state/naps/<agent>.json}
 * ({@code {"agent","until_epoch","until","reason","created","quiet_sentinel"}}). A new nap replaces
 * the agent's previous one. {@link #deliverDue} hands each expired nap to a callback (the wake-up
 * envelope) and only then deletes it, all under a lock so two ticks never wake an agent twice.
 */
final class Naps {
    static final Duration MAX = Duration.ofHours(24);
    private static final Pattern PART = Pattern.compile("(\\d+)([hms]?)");

    record Nap(String agent, long untilEpoch, String reason, long created, String quietSentinel) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent", agent);
            m.put("until_epoch", untilEpoch);
            m.put("until", Timestamps.utcSeconds(Instant.ofEpochSecond(untilEpoch)));
            m.put("reason", reason);
            m.put("created", created);
            m.put("quiet_sentinel", quietSentinel);
            return m;
        }
    }

    private final NetskyPaths paths;

    Naps(NetskyPaths paths) { this.paths = paths; }

    Path dir() { return paths.stateDir().resolve("naps"); }

    Path file(AgentId agent) { return dir().resolve(agent.name() + ".json"); }

    /** {@code 90}, {@code 90s}, {@code 20m}, {@code 2h}, {@code 1h30m}: at least 1 s, at most 24 h. */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase();
        Matcher m = PART.matcher(t);
        long seconds = 0;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) {
                case "h" -> n * 3600;
                case "m" -> n * 60;
                default -> n;
            };
            at = m.end();
            if (m.group(2).isEmpty()) break;
        }
        if (t.isEmpty() || at != t.length()) {
            throw new NetskyException("invalid duration '" + text + "': use seconds or h/m/s units, e.g. 90, 20m, 1h30m");
        }
        if (seconds < 1) throw new NetskyException("nap duration must be >= 1s (got " + text + ")");
        if (seconds > MAX.toSeconds()) throw new NetskyException("nap duration must be <= 24h (got " + text + "); use `netsky cron add` for longer schedules");
        return Duration.ofSeconds(seconds);
    }

    void save(Nap nap) {
        paths.ensureDir(dir());
        AtomicFiles.replace(file(AgentId.of(nap.agent())), EnvelopeCodec.mapper().writeValueAsString(nap.json()) + "\n");
    }

    Optional<Nap> read(Path f) {
        try {
            JsonNode n = EnvelopeCodec.mapper().readTree(Files.readString(f));
            String agent = n.path("agent").asString();
            if (!AgentId.isValid(agent)) return Optional.empty();
            JsonNode q = n.get("quiet_sentinel");
            JsonNode r = n.get("reason");
            return Optional.of(new Nap(agent, n.path("until_epoch").asLong(), r == null || r.isNull() ? null : r.asString(),
                    n.path("created").asLong(), q == null || q.isNull() ? null : q.asString()));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    List<Nap> list() {
        List<Nap> out = new ArrayList<>();
        if (!Files.isDirectory(dir())) return out;
        try (var files = Files.list(dir())) {
            files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().forEach(f -> read(f).ifPresent(out::add));
        } catch (IOException e) {
            throw new NetskyException("cannot list " + dir() + ": " + e.getMessage() + "; check its permissions");
        }
        return out;
    }

    Optional<Nap> cancel(AgentId agent) {
        Path f = file(agent);
        Optional<Nap> nap = Files.exists(f) ? read(f) : Optional.empty();
        try {
            Files.deleteIfExists(f);
            if (nap.isPresent() && nap.get().quietSentinel() != null) Files.deleteIfExists(Path.of(nap.get().quietSentinel()));
        } catch (IOException e) {
            throw new NetskyException("cannot cancel the nap in " + f + ": " + e.getMessage());
        }
        return nap;
    }

    /** Wakes every agent whose nap has ended: {@code wake} first (it must succeed), then the entry is deleted. */
    List<Nap> deliverDue(Instant now, Consumer<Nap> wake) {
        if (!Files.isDirectory(dir())) return List.of();
        List<Nap> woken = new ArrayList<>();
        Path lock = dir().resolve(".lock");
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE); var held = ch.lock()) {
            for (Nap n : list()) {
                if (n.untilEpoch() > now.getEpochSecond()) continue;
                wake.accept(n);
                Files.deleteIfExists(file(AgentId.of(n.agent())));
                woken.add(n);
            }
        } catch (IOException e) {
            throw new NetskyException("cannot deliver naps in " + dir() + ": " + e.getMessage());
        }
        return woken;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) b.append(s / 3600).append('h');
        if (s % 3600 >= 60) b.append(s % 3600 / 60).append('m');
        if (s % 60 > 0 || b.isEmpty()) b.append(s % 60).append('s');
        return b.toString();
    }
}
