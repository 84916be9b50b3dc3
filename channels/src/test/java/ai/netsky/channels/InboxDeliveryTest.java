package ai.netsky.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery loop and its ledger with a fake sink: ordering, retries, crash recovery, compaction. */
class InboxDeliveryTest {
    static final AgentId A1 = AgentId.of("agent1");
    @TempDir
    Path home;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    /** Records deliveries; refuses the first {@code refuse} attempts. */
    static final class FakeSink implements DeliverySink {
        final List<String> got = new ArrayList<>();
        int refuse;

        @Override
        public void deliver(Envelope e) throws NotDelivered {
            if (refuse > 0) {
                refuse--;
                throw new NotDelivered("pane busy", false);
            }
            got.add(e.text());
        }

        @Override
        public String name() { return "fake"; }
    }

    NetskyPaths paths() { return new NetskyPaths(home); }

    InboxDelivery delivery(DeliveryLedger ledger, DeliverySink sink) {
        return new InboxDelivery(new Inbox(paths(), A1), ledger, sink, Duration.ofMillis(50), log, e -> { });
    }

    @Test
    void aRefusedEnvelopeBlocksLaterOnesSoOrderHoldsAndItIsRetried() {
        EnvelopeWriter w = new EnvelopeWriter(paths());
        for (String t : List.of("a", "b", "c")) w.send(A1, Envelope.now("agent0", t));
        Inbox inbox = new Inbox(paths(), A1);
        try (DeliveryLedger ledger = InboxDelivery.openLedger(paths(), inbox)) {
            FakeSink sink = new FakeSink();
            sink.refuse = 1;
            InboxDelivery d = delivery(ledger, sink);
            assertTrue(d.pass());
            assertEquals(List.of(), sink.got, "nothing after the refused one went first");
            assertEquals(3, inbox.pending().size(), "the refused envelope stayed in the inbox");
            assertTrue(d.pass());
            assertEquals(List.of("a", "b", "c"), sink.got);
            assertTrue(inbox.pending().isEmpty());
            assertTrue(logBytes.toString(StandardCharsets.UTF_8).contains("not delivered yet (fake): pane busy"));
        }
    }

    @Test
    void aFileRecordedAsDeliveredButNotYetMovedIsMovedWithoutASecondDelivery() {
        Path file = new EnvelopeWriter(paths()).send(A1, Envelope.now("agent0", "pushed just before a crash"));
        Inbox inbox = new Inbox(paths(), A1);
        try (DeliveryLedger ledger = InboxDelivery.openLedger(paths(), inbox)) {
            ledger.record(file.getFileName().toString(), null); // the crash came between record and move
        }
        try (DeliveryLedger ledger = InboxDelivery.openLedger(paths(), inbox)) {
            FakeSink sink = new FakeSink();
            delivery(ledger, sink).pass();
            assertEquals(List.of(), sink.got);
            assertTrue(Files.exists(paths().processed(A1).resolve(file.getFileName())));
        }
    }

    @Test
    void aFatalRefusalStopsTheLoopAndLeavesTheEnvelope() {
        new EnvelopeWriter(paths()).send(A1, Envelope.now("agent0", "x"));
        Inbox inbox = new Inbox(paths(), A1);
        try (DeliveryLedger ledger = InboxDelivery.openLedger(paths(), inbox)) {
            DeliverySink gone = new DeliverySink() {
                @Override
                public void deliver(Envelope e) throws NotDelivered { throw new NotDelivered("client closed", true); }

                @Override
                public String name() { return "gone"; }
            };
            assertFalse(delivery(ledger, gone).pass());
            assertEquals(1, inbox.pending().size());
        }
    }

    @Test
    void theLedgerSurvivesATornRecordAndCompactsKeepingPendingNamesAndNewestKeys() throws Exception {
        Path file = paths().agentStateFile(A1, "delivered.log");
        Files.createDirectories(file.getParent());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < DeliveryLedger.COMPACT_ABOVE; i++) b.append("f old-").append(i).append(".json\n");
        b.append("k ").append(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("i:first".getBytes())).append('\n');
        b.append("f still-pending.json\n");
        b.append("k !!!torn"); // a crash mid-record
        Files.writeString(file, b);
        try (DeliveryLedger ledger = DeliveryLedger.open(paths(), file, Set.of("still-pending.json"))) {
            assertTrue(ledger.deliveredFile("still-pending.json"));
            assertFalse(ledger.deliveredFile("old-5.json"), "names of files long gone are dropped");
            assertTrue(ledger.seenKey("i:first"));
            ledger.record("new.json", "k:x");
        }
        assertTrue(Files.readAllLines(file).size() < 10, "compacted");
        try (DeliveryLedger ledger = DeliveryLedger.open(paths(), file, Set.of())) {
            assertTrue(ledger.seenKey("k:x") && ledger.seenKey("i:first") && ledger.deliveredFile("new.json"));
        }
    }

    @Test
    void autoChoosesNudgeForCodexAndForClaudeWithoutPushAndPushOtherwise() throws Exception {
        DeliverySink push = new FakeSink();
        DeliverySink nudge = new FakeSink();
        Path state = Files.createDirectories(home.resolve("state"));
        Path runtime = state.resolve("agent1-runtime");
        Path ready = state.resolve("agent1-ready");
        Path pushFile = state.resolve("agent1-channel-push");
        String[] screen = {""};
        boolean[] session = {true};
        PaneOps pane = new PaneOps() {
            @Override public boolean hasSession(String s) { return session[0]; }
            @Override public String capture(String s) { return screen[0]; }
            @Override public void paste(String s, String t) { }
            @Override public void pressEnter(String s) { }
        };
        java.util.function.Supplier<AutoDelivery> auto = () -> new AutoDelivery(runtime, ready, pushFile, pane, "agent1", push, nudge, Duration.ofMillis(300), log);

        Files.writeString(runtime, "codex\n");
        assertSame(nudge, auto.get().decide(), "codex has no push");
        Files.writeString(runtime, "claude\n");
        Files.writeString(pushFile, "unavailable\n");
        assertSame(nudge, auto.get().decide(), "spawn saw 'Channels are not currently available'");
        Files.writeString(pushFile, "available\n");
        assertSame(push, auto.get().decide());
        Files.delete(pushFile);
        screen[0] = "… Channels are not currently available …";
        assertSame(nudge, auto.get().decide(), "the pane's warning, before spawn recorded anything");
        screen[0] = "❯ ready";
        assertSame(nudge, auto.get().decide(), "unsure at the deadline: a visible nudge beats a push that may be dropped");
        Files.writeString(ready, "");
        assertSame(push, auto.get().decide(), "ready with a clean screen: push works");
        Files.delete(runtime);
        screen[0] = "Channels are not currently available";
        assertSame(nudge, auto.get().decide(), "not spawned by netsky, but the pane shows the warning");
        screen[0] = "❯";
        assertSame(push, auto.get().decide(), "not spawned by netsky, clean pane");
        session[0] = false;
        assertSame(push, auto.get().decide(), "a plain MCP client with no pane");
    }
}
