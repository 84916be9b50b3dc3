package ai.netsky.cli;

import ai.netsky.core.NetskyException;
import ai.netsky.core.WatchdogPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code netsky handoffs [list|last|<N>] [--limit N] [--json]}: the handoff archive, newest first. */
@Command(name = "handoffs", mixinStandardHelpOptions = true,
        description = {"The handoff archive (every planned or crash handoff delivered to agent0), newest first.",
                "list (default) shows the newest --limit entries; last prints the newest; <N> prints the N-th newest."})
public final class HandoffsCommand implements Runnable {
    private final CliContext ctx;

    HandoffsCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", arity = "0..1", defaultValue = "list", paramLabel = "[list|last|<N>]")
    String which;

    @Option(names = "--limit", defaultValue = "20", description = "Entries list shows (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "The JSON report envelope: data {dir, entries: [{index, name, kind, archived_at, bytes, first_line}]} (with text for last/<N>).")
    boolean json;

    record Entry(int index, Path path, String kind, String archivedAt, long bytes, String firstLine) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index);
            m.put("name", path.getFileName().toString());
            m.put("kind", kind);
            m.put("archived_at", archivedAt);
            m.put("bytes", bytes);
            m.put("first_line", firstLine);
            return m;
        }
    }

    @Override
    public void run() {
        Path dir = WatchdogPaths.of(ctx.paths(), ctx.env()).handoffArchiveDir();
        if (!Files.isDirectory(dir)) {
            if (json) ctx.out().println(JsonReport.render("handoffs", "green", "archive not present", Map.of("dir", dir.toString(), "entries", List.of())));
            else ctx.out().println("archive not present: " + dir + " (no restart since the archive-feature shipped)");
            return;
        }
        List<Entry> entries = entries(dir);
        if (which.equals("list")) {
            if (json) {
                ctx.out().println(JsonReport.render("handoffs", "green", entries.size() + " handoff(s)",
                        Map.of("dir", dir.toString(), "entries", entries.stream().limit(Math.max(1, limit)).map(Entry::json).toList())));
                return;
            }
            if (entries.isEmpty()) {
                ctx.out().println("(archive empty)");
                return;
            }
            for (Entry e : entries.stream().limit(Math.max(1, limit)).toList()) {
                ctx.out().printf("%3d  %s  %-8s %6d B  %s%n", e.index(), e.archivedAt(), e.kind(), e.bytes(), e.firstLine());
            }
            return;
        }
        int n;
        if (which.equals("last")) {
            n = 1;
        } else {
            try {
                n = Integer.parseInt(which);
            } catch (NumberFormatException e) {
                throw new NetskyException("unknown selector '" + which + "' (use: list | last | <N>)");
            }
        }
        if (n < 1 || n > entries.size()) throw new NetskyException("index " + n + " out of range (have " + entries.size() + " entries)");
        Entry e = entries.get(n - 1);
        String text;
        try {
            text = Files.readString(e.path());
        } catch (IOException ex) {
            throw new NetskyException("cannot read " + e.path() + ": " + ex.getMessage());
        }
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>(e.json());
            data.put("text", text);
            ctx.out().println(JsonReport.render("handoffs", "green", e.path().getFileName().toString(), data));
        } else {
            ctx.out().println("# " + e.path());
            ctx.out().print(text.endsWith("\n") ? text : text + "\n");
        }
    }

    /**
     * Newest first. The archive names files {@code <epoch nanos>-<kind>-<original name>}, and the
     * copy keeps the original's mtime, so the name's timestamp orders them; mtime is the fallback.
     */
    static List<Entry> entries(Path dir) {
        record Raw(Path p, long nanos) {}
        List<Raw> raw = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p) || p.getFileName().toString().startsWith(".")) continue;
                raw.add(new Raw(p, nanos(p)));
            }
        } catch (IOException e) {
            throw new NetskyException("cannot list the handoff archive " + dir + ": " + e.getMessage());
        }
        raw.sort(Comparator.comparingLong(Raw::nanos).reversed().thenComparing(r -> r.p().getFileName().toString(), Comparator.reverseOrder()));
        List<Entry> out = new ArrayList<>();
        for (Raw r : raw) {
            String name = r.p().getFileName().toString();
            String[] parts = name.split("-", 3);
            String kind = parts.length == 3 && parts[0].chars().allMatch(Character::isDigit) ? parts[1] : "?";
            String first = "";
            long bytes = 0;
            try {
                bytes = Files.size(r.p());
                try (var lines = Files.lines(r.p())) {
                    first = lines.map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
                }
            } catch (IOException | java.io.UncheckedIOException unreadable) {
                first = "(unreadable)";
            }
            String at = java.time.Instant.ofEpochSecond(r.nanos() / 1_000_000_000L, r.nanos() % 1_000_000_000L).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            out.add(new Entry(out.size() + 1, r.p(), kind, at, bytes, StatusSnapshot.abbreviate(first.replaceFirst("^#\\s*", ""))));
        }
        return out;
    }

    private static long nanos(Path p) {
        String n = p.getFileName().toString();
        int dash = n.indexOf('-');
        if (dash > 9) {
            try {
                return Long.parseLong(n.substring(0, dash));
            } catch (NumberFormatException ignored) {
                // Not an archive name: use mtime.
            }
        }
        try {
            var t = Files.getLastModifiedTime(p).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (IOException e) {
            return 0;
        }
    }
}
