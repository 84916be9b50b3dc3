package ai.netsky.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.netsky.core.NetskyPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When meta.db cannot be written the event is spooled, the caller succeeds, and the next open imports it. */
class SpoolTest {
    @TempDir Path home;

    NetskyPaths paths() { return new NetskyPaths(home); }

    private long count(String sql) throws Exception {
        try (Connection c = MetaDb.openReadOnly(paths(), 1000)) {
            return ((Number) Query.run(c, sql).rows().getFirst().getFirst()).longValue();
        }
    }

    private static Event tick(String source) {
        return new Event.Tick(Instant.now(), source, "{\"n\":1}");
    }

    @Test
    void lockHeldPastTheBusyTimeoutSpoolsThenTheNextOpenImports() throws Exception {
        try (EventStore s = new EventStore(paths(), 1000)) {
            assertTrue(s.record(tick("before")).stored());
        }
        Process holder = StoreProcesses.start(List.of(), "hold", home.toString());
        try {
            var line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("holding", line, "lock holder did not take the write lock");
            long t0 = System.nanoTime();
            EventStore.Result r;
            EventStore.Result second;
            try (EventStore s = new EventStore(paths(), 150)) {
                r = s.record(tick("while-locked"));
                second = s.record(new Event.Crash(Instant.now(), "pane-exited", "agent2", "exit 1"));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(r.stored());
            assertTrue(r.spooled(), "spooled: " + r);
            assertNull(r.failure());
            assertTrue(DbDiag.isLocked(r.error()), "error names the lock: " + r.error());
            assertTrue(second.spooled(), "second event of the same store goes straight to the spool");
            assertTrue(ms < 5000, "gave up after about one busy timeout, not " + ms + " ms");
            Spool spool = new Spool(paths());
            assertEquals(1, spool.pending().size());
            assertEquals(2, spool.pendingRows());
            String text = Files.readString(spool.pending().getFirst());
            assertTrue(text.contains("\"table\":\"ticks\"") && text.contains("while-locked") && text.contains("\"table\":\"crashes\""), text);
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "lock holder exits when its stdin closes");
        }
        try (EventStore s = new EventStore(paths(), 1000)) {
            assertTrue(s.record(tick("after")).stored());
            assertEquals(2, s.importedFromSpool());
        }
        assertTrue(new Spool(paths()).pending().isEmpty(), "spool imported and removed");
        assertEquals(1, count("SELECT COUNT(*) FROM ticks WHERE source = 'while-locked'"));
        assertEquals(1, count("SELECT COUNT(*) FROM crashes WHERE agent = 'agent2' AND kind = 'pane-exited'"));
        assertEquals(0, count("SELECT COUNT(*) FROM ticks WHERE source = 'lock-holder'"), "the holder's transaction was rolled back");
        // A later open imports nothing twice.
        try (EventStore s = new EventStore(paths(), 1000)) {
            s.record(tick("again"));
            assertEquals(0, s.importedFromSpool());
        }
        assertEquals(1, count("SELECT COUNT(*) FROM ticks WHERE source = 'while-locked'"));
    }

    @Test
    void readOnlyDatabaseFileSpoolsInARealProcessThenImports() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap (apt: bubblewrap) makes meta.db read-only even for root");
        try (EventStore s = new EventStore(paths(), 1000)) {
            assertTrue(s.record(tick("before")).stored());
        }
        String db = paths().metaDb().toString();
        // A read-only bind mount of the file: EROFS for every writer, root included.
        Process p = StoreProcesses.start(List.of("/usr/bin/bwrap", "--dev-bind", "/", "/", "--ro-bind", db, db),
                "write", home.toString(), "ro", "3", "200");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(!out.contains("bwrap:"), "bubblewrap cannot create namespaces here: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.strip().endsWith("spooled=3 lost=0"), out);
        assertEquals(3, new Spool(paths()).pendingRows());
        assertEquals(0, count("SELECT COUNT(*) FROM cli_invocations WHERE host = 'ro'"));
        try (EventStore s = new EventStore(paths(), 1000)) {
            assertTrue(s.record(tick("after")).stored());
            assertEquals(3, s.importedFromSpool());
        }
        assertEquals(3, count("SELECT COUNT(*) FROM cli_invocations WHERE host = 'ro'"));
        assertEquals(0, new Spool(paths()).pendingRows());
    }

    @Test
    void aCorruptSpoolLineBecomesASourceErrorAndTheRestImports() throws Exception {
        Spool spool = new Spool(paths());
        spool.append(Rows.of(tick("good")), "test");
        Files.writeString(spool.fileFor(Instant.now()), "{not json\n{\"spool_id\":\"x\",\"table\":\"ticks; DROP TABLE ticks\",\"row\":{\"ts_utc\":\"t\"}}\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (EventStore s = new EventStore(paths(), 1000)) {
            assertTrue(s.record(tick("next")).stored());
            assertEquals(1, s.importedFromSpool());
        }
        assertEquals(1, count("SELECT COUNT(*) FROM ticks WHERE source = 'good'"));
        assertEquals(2, count("SELECT COUNT(*) FROM source_errors WHERE source = 'meta-db-spool'"));
        assertTrue(spool.pending().isEmpty());
    }

    @Test
    void whenEvenTheSpoolCannotBeWrittenTheFailureIsReportedNotThrown() throws Exception {
        Files.createDirectories(paths().netskyHome());
        Files.createDirectory(paths().metaDb()); // a directory where the file should be: the open fails
        Files.writeString(paths().logsDir(), "a file where the logs directory should be");
        try (EventStore s = new EventStore(paths(), 100)) {
            var r = s.record(tick("nowhere"));
            assertFalse(r.stored());
            assertFalse(r.spooled());
            assertTrue(r.failure() != null && r.failure().contains("spool"), String.valueOf(r.failure()));
        }
    }

    @Test
    void spoolLinesAreValidJsonForAnyText() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 ls \u2028 ü 🚀";
        Spool spool = Spool.journal(paths());
        spool.append(new Event.EnvelopeEvent(Instant.now(), Event.EnvelopeKind.SENT, "id", "agent0", "agent1", null, "file", nasty, null), "deferred");
        String line = Files.readString(spool.pending().getFirst()).strip();
        var parsed = Spool.parse(line);
        assertEquals(nasty, parsed.row().get("preview"));
        assertNull(parsed.row().get("envelope_kind"));
        try (EventStore s = new EventStore(paths(), 1000)) {
            assertTrue(s.record(tick("x")).stored());
            assertEquals(1, s.importedFromSpool(), "the journal is imported like the spool");
        }
        assertTrue(Spool.journal(paths()).pending().isEmpty());
    }
}
