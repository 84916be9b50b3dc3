package ai.netsky.store;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * {@code netsky ingest claude-sessions}: reads Claude Code's transcripts
 * ({@code ~/.claude/projects/<encoded cwd>/<session>.jsonl}) and stores one {@code token_usage} row
 * per assistant turn, in transactions of {@value #BATCH_ROWS} rows. Re-ingesting is safe: a turn is
 * keyed by (session id, message id). Claude Code writes one line per content block with the same
 * message id; the line with the most output tokens (the final one) wins.
 */
public final class ClaudeSessionIngest {
    public static final int BATCH_ROWS = 500;

    public record Stats(long files, long turns, long inserted, long skippedLines, long elapsedMs) {}

    private static final Pattern SELF = Pattern.compile("(?i)\\byou are (agent(?:\\d+|infinity))\\b|\\bAGENT_N=(\\d+|infinity)\\b");
    private static final Pattern CWD_AGENT = Pattern.compile("(agent(?:\\d+|infinity))/?$");

    private final NetskyPaths paths;

    public ClaudeSessionIngest(NetskyPaths paths) {
        this.paths = paths;
    }

    public static Path defaultRoot(NetskyPaths paths) {
        return paths.home().resolve(".claude").resolve("projects");
    }

    public Stats ingest(Path root, EventStore store) {
        long start = System.nanoTime();
        if (!Files.isDirectory(root)) {
            throw new NetskyException("no Claude Code transcripts at " + root + ": the directory does not exist; pass --root <dir> (Claude Code writes ~/.claude/projects)");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new NetskyException("cannot list " + root + ": " + e.getMessage() + "; check its permissions");
        }
        long before = count(store);
        long turns = 0;
        long skipped = 0;
        List<Event> batch = new ArrayList<>(BATCH_ROWS);
        for (Path f : files) {
            FileTurns ft = read(f);
            skipped += ft.skipped;
            for (Event.TokenUsage u : ft.turns.values()) {
                batch.add(u);
                turns++;
                if (batch.size() == BATCH_ROWS) flush(store, batch);
            }
        }
        flush(store, batch);
        long inserted = count(store) - before;
        return new Stats(files.size(), turns, inserted, skipped, (System.nanoTime() - start) / 1_000_000);
    }

    private static void flush(EventStore store, List<Event> batch) {
        if (batch.isEmpty()) return;
        try {
            store.recordBatch(batch);
        } catch (SQLException e) {
            throw new NetskyException("cannot write token usage to meta.db: " + EventStore.describe(e) + "; "
                    + (DbDiag.isLocked(e.getMessage()) ? DbDiag.LOCK_HINT : "run `netsky doctor`"), e);
        }
        batch.clear();
    }

    private static long count(EventStore store) {
        try (var s = store.connection().createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM token_usage")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new NetskyException("cannot open meta.db for ingest: " + EventStore.describe(e) + "; run `netsky doctor`", e);
        }
    }

    private record FileTurns(Map<String, Event.TokenUsage> turns, long skipped) {}

    private FileTurns read(Path file) {
        Map<String, Event.TokenUsage> turns = new LinkedHashMap<>();
        long skipped = 0;
        String agent = null;
        List<String> earlyUserText = new ArrayList<>();
        List<JsonNode> assistant = new ArrayList<>();
        String cwd = null;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = EnvelopeCodec.mapper().readTree(line);
                } catch (RuntimeException bad) {
                    skipped++;
                    continue;
                }
                if (cwd == null && n.path("cwd").isString()) cwd = n.path("cwd").asString();
                String type = n.path("type").asString("");
                if (type.equals("user") && earlyUserText.size() < 5) earlyUserText.add(n.path("message").path("content").toString());
                if (type.equals("assistant") && n.path("message").path("usage").isObject()) assistant.add(n);
            }
        } catch (IOException e) {
            return new FileTurns(turns, skipped + 1);
        }
        for (JsonNode n : assistant) {
            JsonNode msg = n.path("message");
            JsonNode usage = msg.path("usage");
            String session = n.path("sessionId").asString(file.getFileName().toString().replace(".jsonl", ""));
            if (agent == null) agent = agentFor(session, earlyUserText, cwd);
            String id = msg.path("id").asString(n.path("uuid").asString(""));
            if (id.isEmpty()) {
                skipped++;
                continue;
            }
            Instant ts;
            try {
                ts = Instant.parse(n.path("timestamp").asString(""));
            } catch (DateTimeParseException bad) {
                skipped++;
                continue;
            }
            long in = usage.path("input_tokens").asLong(0);
            long out = usage.path("output_tokens").asLong(0);
            long cw = usage.path("cache_creation_input_tokens").asLong(0);
            long cr = usage.path("cache_read_input_tokens").asLong(0);
            String model = msg.path("model").asString(null);
            double cost = n.path("costUSD").isNumber() ? n.path("costUSD").asDouble() : Pricing.rate(model).cost(in, out, cw, cr);
            var u = new Event.TokenUsage(ts, agent, session, id, model, in, out, cw, cr, cost, file.toString());
            turns.merge(session + "\u0000" + id, u, (a, b) -> b.outputTokens() >= a.outputTokens() ? b : a);
        }
        return new FileTurns(turns, skipped);
    }

    /**
     * Which netsky agent a session belongs to: a mapping file {@code ~/.netsky/state/claude-sessions/<id>}
     * (written by whoever spawned it), else the agent named in the first user turns ("you are agent3",
     * {@code AGENT_N=3}), else a cwd ending in the agent's name, else {@code unknown}.
     */
    String agentFor(String session, List<String> userText, String cwd) {
        Path map = paths.stateDir().resolve("claude-sessions").resolve(session.replaceAll("[^A-Za-z0-9_-]", "_"));
        try {
            if (Files.isRegularFile(map)) {
                String a = Files.readString(map).strip();
                if (!a.isEmpty()) return a;
            }
        } catch (IOException ignored) {
            // Fall through to the text heuristics.
        }
        for (String t : userText) {
            Matcher m = SELF.matcher(t);
            if (m.find()) return m.group(1) != null ? m.group(1).toLowerCase() : "agent" + m.group(2);
        }
        if (cwd != null) {
            Matcher m = CWD_AGENT.matcher(cwd);
            if (m.find()) return m.group(1);
        }
        return "unknown";
    }
}
