package ai.netsky.cli;

import ai.netsky.store.ClaudeSessionIngest;
import ai.netsky.store.EventStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky ingest claude-sessions [--root DIR] [--json]}. */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Import external records into meta.db.",
        subcommands = IngestCommand.ClaudeSessions.class)
public final class IngestCommand {

    @Command(name = "claude-sessions", mixinStandardHelpOptions = true,
            description = {"Ingest token usage from Claude Code JSONL session logs: one token_usage row per assistant turn",
                    "(tokens, estimated cost, agent, day), written in batches of 500. Safe to re-run: turns already stored are skipped."})
    static final class ClaudeSessions implements Runnable {
        private final CliContext ctx;

        ClaudeSessions(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--root", paramLabel = "DIR", description = "Where the transcripts are (default ~/.claude/projects).")
        Path root;

        @Option(names = "--json", description = "The JSON report envelope: data {root, files, turns, inserted, skipped_lines, elapsed_ms}.")
        boolean json;

        @Override
        public void run() {
            Path dir = root != null ? root.toAbsolutePath() : ClaudeSessionIngest.defaultRoot(ctx.paths());
            ClaudeSessionIngest.Stats s;
            try (EventStore store = new EventStore(ctx.paths(), ctx.env())) {
                s = new ClaudeSessionIngest(ctx.paths()).ingest(dir, store);
            }
            String summary = s.files() + " file(s), " + s.turns() + " turn(s), " + s.inserted() + " new, " + s.elapsedMs() + " ms";
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("root", dir.toString());
                data.put("files", s.files());
                data.put("turns", s.turns());
                data.put("inserted", s.inserted());
                data.put("skipped_lines", s.skippedLines());
                data.put("elapsed_ms", s.elapsedMs());
                ctx.out().println(JsonReport.render("ingest", "green", summary, data));
            } else {
                Ui.line(ctx.out(), "ingest", "claude-sessions from " + dir + ": " + summary + (s.skippedLines() > 0 ? " (" + s.skippedLines() + " unreadable line(s) skipped)" : ""));
            }
        }
    }
}
