package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.store.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** netsky task … and netsky session …, against a real meta.db. */
class TaskSessionCommandTest {
    final NetskyHarness h = new NetskyHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void taskLifecycleWithHistory() {
        assertTrue(h.run("task", "list").out().startsWith("no open tasks"));
        var add = h.run("task", "add", "fix", "the", "ticker", "--agent", "2", "--note", "it skips beats");
        assertEquals(0, add.exit(), add.err());
        assertEquals("[netsky task] added task 1: fix the ticker [open, agent2]\n", add.out());
        var clone = h.withEnv("AGENT_N", "3");
        assertEquals("[netsky task] added task 2: write docs [open]\n", clone.run("task", "add", "write docs").out());
        var start = clone.run("task", "start", "2");
        assertEquals("[netsky task] started task 2: write docs [in_progress, agent3]\n", start.out());
        assertTrue(clone.run("task", "start", "2").out().contains("already in_progress (agent3); nothing changed"));
        clone.run("task", "note", "2", "half", "way");
        assertEquals(0, clone.run("task", "done", "2", "--note", "shipped").exit());
        assertTrue(clone.run("task", "done", "2").out().contains("already done"), "idempotent");
        var startDone = clone.run("task", "start", "2");
        assertEquals(1, startDone.exit());
        assertTrue(startDone.err().contains("task 2 is done; `netsky task reopen 2` first"), startDone.err());

        var open = clone.run("task", "list");
        assertEquals(1, open.out().lines().count(), open.out());
        assertTrue(open.out().matches("(?s)\\s+1  open\\s+agent2\\s+.*fix the ticker\n"), open.out());
        var all = EnvelopeCodec.mapper().readTree(clone.run("task", "list", "--all", "--json").out());
        assertEquals(2, all.get("data").get("tasks").size());
        assertEquals("done", all.get("data").get("tasks").get(1).get("status").asString());
        assertEquals(1, EnvelopeCodec.mapper().readTree(clone.run("task", "list", "--agent", "agent3", "--all", "--json").out()).get("data").get("tasks").size());

        var show = clone.run("task", "show", "2");
        assertTrue(show.out().startsWith("task 2: write docs\n  status:  done (agent3)\n  created: "), show.out());
        assertTrue(show.out().contains(" note by agent3: half way") && show.out().contains(" done by agent3: shipped"), show.out());
        var json = EnvelopeCodec.mapper().readTree(clone.run("task", "show", "1", "--json").out());
        assertEquals("owner", json.get("data").get("created_by").asString(), "no AGENT_N: the owner");
        assertEquals("it skips beats", json.get("data").get("history").get(0).get("detail").asString());

        assertEquals(0, clone.run("task", "reopen", "2").exit());
        assertEquals(0, clone.run("task", "drop", "2", "--note", "not needed").exit());
        assertEquals(1, clone.run("task", "done", "9").exit());
        assertTrue(clone.run("task", "done", "9").err().contains("no task 9"));
        assertEquals(1, clone.run("task", "add", " ").exit());
        assertEquals(1, clone.run("task", "list", "--status", "later").exit());
        // The history is in meta.db for anyone to query.
        var q = h.run("query", "SELECT action FROM task_events WHERE task_id = 2 ORDER BY id", "--json");
        assertEquals(0, q.exit(), q.err());
        List<String> actions = new ArrayList<>();
        EnvelopeCodec.mapper().readTree(q.out()).get("data").get("rows").forEach(r -> actions.add(r.get("action").asString()));
        assertEquals(List.of("add", "start", "note", "done", "reopen", "drop"), actions);
    }

    @Test
    void concurrentAddsGetDistinctIds() throws Exception {
        h.run("task", "list"); // creates meta.db
        var ids = new ConcurrentLinkedQueue<Long>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        ids.add(new TaskStore(h.paths(), h.env()).add("w" + writer + " t" + i, null, "agent" + writer, null, Instant.now()).id());
                    }
                    return null;
                }));
            }
            for (var f : fs) f.get(); // rethrows a writer's failure here, on the test thread
        }
        Set<Long> distinct = new TreeSet<>(ids);
        assertEquals(80, ids.size());
        assertEquals(80, distinct.size(), "no id handed out twice: " + ids);
        assertEquals(80, new TaskStore(h.paths(), h.env()).list().size());
    }

    @Test
    void sessionNotesListAndShow() {
        assertTrue(h.run("session", "list").out().startsWith("no session events since "));
        var note = h.withEnv("AGENT_N", "4").run("session", "note", "context", "is", "getting", "long");
        assertEquals(0, note.exit(), note.err());
        assertEquals("[netsky session] noted for agent4: context is getting long\n", note.out());
        h.run("session", "note", "--agent", "agentinfinity", "watching");
        var list = h.run("session", "list");
        assertEquals(2, list.out().lines().count(), list.out());
        assertTrue(list.out().lines().toList().get(0).matches("\\S+Z  agent4\\s+note\\s+context is getting long"), list.out());
        var json = EnvelopeCodec.mapper().readTree(h.run("session", "list", "--agent", "inf", "--json").out());
        var rows = json.get("data").get("sessions");
        assertEquals(1, rows.size());
        assertEquals(-1, rows.get(0).get("session_num").asInt());
        var show = h.run("session", "show", "4");
        assertTrue(show.out().startsWith("agent4: tmux session not running\n  last up:   -\n"), show.out());
        assertTrue(show.out().contains(": context is getting long"), show.out());
        var off = h.withEnv("NETSKY_NO_META_DB", "1").run("session", "note", "x");
        assertEquals(1, off.exit());
        assertTrue(off.err().contains("NETSKY_NO_META_DB=1"), off.err());
    }
}
