package ai.netsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.NetskyPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many short-lived writer processes at once, on a fresh file (so they also race the first migration). */
class ConcurrentWritersTest {
    @TempDir Path home;

    @Test
    void eightProcessesTimesFiveHundredEventsGiveAll4000RowsWithNoneSpooled() throws Exception {
        List<Process> procs = new ArrayList<>();
        for (int w = 0; w < 8; w++) procs.add(StoreProcesses.start(List.of(), "write", home.toString(), "w" + w, "500"));
        List<String> outputs = new ArrayList<>();
        for (Process p : procs) {
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "writer process did not finish within 180 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            outputs.add(out);
            assertEquals(0, p.exitValue(), out);
        }
        for (String out : outputs) assertTrue(out.endsWith("spooled=0 lost=0"), "a writer spooled or lost rows: " + out);
        NetskyPaths paths = new NetskyPaths(home);
        try (Connection c = MetaDb.openReadOnly(paths, 1000)) {
            var r = Query.run(c, "SELECT host, COUNT(*), COUNT(DISTINCT argv_json), MIN(duration_ms), MAX(duration_ms) FROM cli_invocations GROUP BY host ORDER BY host");
            assertEquals(8, r.rows().size(), "rows per writer: " + r.rows());
            Map<String, List<Object>> byWriter = new HashMap<>();
            for (var row : r.rows()) byWriter.put((String) row.get(0), row);
            for (int w = 0; w < 8; w++) {
                var row = byWriter.get("w" + w);
                assertEquals(List.of("w" + w, 500, 500, 0, 499), row, "writer w" + w);
            }
            assertEquals(List.of(List.<Object>of(Schema.latest())), Query.run(c, "PRAGMA user_version").rows());
            assertEquals(List.of(List.<Object>of(Schema.MIGRATIONS.size())), Query.run(c, "SELECT COUNT(*) FROM schema_migrations").rows(), "each migration applied exactly once");
            assertEquals(List.of(List.<Object>of("wal")), Query.run(c, "PRAGMA journal_mode").rows());
        }
        assertTrue(new Spool(paths).pending().isEmpty(), "no spool files");
        assertTrue(Files.exists(paths.metaDb()));
        try (var caches = Files.list(paths.netskyHome().resolve("cache"))) {
            var dirs = caches.toList();
            assertEquals(1, dirs.size(), "eight racing processes share one extracted native library: " + dirs);
            assertTrue(Files.isRegularFile(dirs.getFirst().resolve(System.mapLibraryName("sqlitejdbc"))));
        }
    }
}
