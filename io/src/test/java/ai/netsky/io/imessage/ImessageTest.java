package ai.netsky.io.imessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.io.access.AccessDenied;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iMessage rules against a real SQLite chat.db in Apple's schema: one allowlisted DM (alice),
 * plus rows that must never surface — a stranger's DM, a group chat alice is in, an SMS chat.
 */
class ImessageTest {
    static final String ALICE = "+15550001111";
    static final String ALICE_DM = "iMessage;-;" + ALICE;
    static final String MALLORY_DM = "iMessage;-;mallory@evil.test";
    static final String GROUP = "iMessage;+;chat123456";
    static final String ALICE_SMS = "SMS;-;" + ALICE;

    @TempDir
    Path dir;
    ChatDbFixture db;
    AccessStore access;
    long alice, mallory, aliceSms, aliceDm, malloryDm, group, smsDm;
    final List<String[]> sent = new ArrayList<>();
    Imessage im;

    @BeforeEach
    void setUp() throws Exception {
        db = new ChatDbFixture(dir.resolve("chat.db"));
        alice = db.handle(ALICE, "iMessage");
        mallory = db.handle("mallory@evil.test", "iMessage");
        aliceSms = db.handle(ALICE, "SMS");
        aliceDm = db.chat(ALICE_DM, 45, "iMessage", alice);
        malloryDm = db.chat(MALLORY_DM, 45, "iMessage", mallory);
        group = db.chat(GROUP, 43, "iMessage", alice, mallory);
        smsDm = db.chat(ALICE_SMS, 45, "SMS", aliceSms);
        db.inbound(aliceDm, alice, "hello from alice");
        db.message(aliceDm, alice, null, ChatDbFixture.attributedBody("body only, " + "long ".repeat(60)), false, "iMessage", false);
        db.message(aliceDm, alice, "", ChatDbFixture.attributedBody("empty text, body wins"), false, "iMessage", false);
        db.inbound(malloryDm, mallory, "mallory secret: password is hunter2");
        db.inbound(group, alice, "group secret from alice");
        db.inbound(group, mallory, "group secret from mallory");
        access = AccessStore.forEnv(AccessSource.IMESSAGE, Map.of("HOME", dir.toString()));
        im = new Imessage(access, new ImessageSource.LazyDb(db.file), (text, chat) -> sent.add(new String[] {text, chat}));
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void emptyOrMissingAllowlistFailsEveryToolClosed() throws Exception {
        for (Runnable call : List.<Runnable>of(() -> im.listMessages(null, null), () -> im.readMessage("MSG-1"), () -> im.reply(ALICE_DM, "hi"))) {
            AccessDenied e = assertThrows(AccessDenied.class, call::run);
            assertTrue(e.getMessage().contains("fails closed"), e.getMessage());
        }
        Files.createDirectories(access.file().getParent());
        Files.writeString(access.file(), "allow_from = []\n");
        assertTrue(assertThrows(AccessDenied.class, () -> im.listMessages(null, null)).getMessage().contains("is empty"));
        assertTrue(sent.isEmpty());
    }

    @Test
    void listAndReadSeeOnlyAllowlistedDmsAndDecodeAttributedBody() {
        access.allow(List.of(ALICE));
        assertEquals(Set.of(ALICE_DM, ALICE_SMS), im.allowed().chats(), "DMs with alice only; never the group she is in");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) im.listMessages(null, 200).get("messages");
        List<Object> texts = rows.stream().map(r -> r.get("text")).toList();
        assertEquals(List.of("empty text, body wins", "body only, " + "long ".repeat(60), "hello from alice"), texts);
        for (Map<String, Object> r : rows) {
            assertEquals(ALICE_DM, r.get("chat_id"));
            assertEquals(ALICE, r.get("user"));
            assertEquals(false, r.get("is_from_me"));
            assertTrue(((String) r.get("ts")).startsWith("2026-04-18T00:5"), r.toString());
        }
        @SuppressWarnings("unchecked")
        var q = (List<Map<String, Object>>) im.listMessages("BODY ONLY", null).get("messages");
        assertEquals(1, q.size(), "query matches decoded attributedBody text too");
        @SuppressWarnings("unchecked")
        var secret = (List<Map<String, Object>>) im.listMessages("secret", null).get("messages");
        assertTrue(secret.isEmpty(), "no row from the stranger's DM or the group leaks through a query: " + secret);
        String first = (String) rows.get(2).get("id");
        assertEquals("hello from alice", im.readMessage(first).get("text"));
    }

    @Test
    void readMessageNeverReturnsARowFromAnotherChat() throws Exception {
        access.allow(List.of(ALICE));
        var strangers = List.of(db.inbound(malloryDm, mallory, "x"), db.inbound(group, alice, "y"));
        for (var row : strangers) {
            AccessDenied e = assertThrows(AccessDenied.class, () -> im.readMessage(row.guid()));
            assertEquals("message " + row.guid() + " not found or not in an allowlisted chat", e.getMessage());
        }
        assertThrows(AccessDenied.class, () -> im.readMessage("' OR 1=1 --"));
    }

    @Test
    void replyOnlyIntoAllowlistedChats() {
        access.allow(List.of(ALICE));
        assertEquals(Map.of("sent", true, "chat_id", ALICE_DM), im.reply(ALICE_DM, "on my way"));
        for (String chat : List.of(MALLORY_DM, GROUP, "iMessage;-;fabricated@nowhere", ALICE_DM + " ")) {
            if (chat.equals(ALICE_DM + " ")) continue; // stripped: same chat
            AccessDenied e = assertThrows(AccessDenied.class, () -> im.reply(chat, "leak"));
            assertTrue(e.getMessage().contains("is not allowlisted (fail-closed)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> im.reply(null, "no chat and no self chat"));
        assertThrows(IllegalArgumentException.class, () -> im.reply(ALICE_DM, ""));
        assertEquals(1, sent.size());
        assertEquals("on my way", sent.get(0)[0]);
        assertEquals(ALICE_DM, sent.get(0)[1]);
    }

    @Test
    void watchStartsAtTheWatermarkAndPushesOnlyAllowlistedInboundDms() throws Exception {
        access.allow(List.of(ALICE));
        im.startWatch();
        assertTrue(im.poll().isEmpty(), "history is never replayed");
        db.inbound(aliceDm, alice, "new from alice");
        db.message(aliceDm, alice, "sent by me", null, true, "iMessage", false);
        db.inbound(malloryDm, mallory, "new from mallory");
        db.inbound(group, alice, "new in group");
        db.message(smsDm, aliceSms, "spoofable sms", null, false, "SMS", false);
        db.message(aliceDm, alice, null, ChatDbFixture.attributedBody("decoded push"), false, "iMessage", false);
        db.message(aliceDm, alice, null, null, false, "iMessage", true);
        db.message(aliceDm, alice, "", null, false, "iMessage", false);
        var pushed = im.poll();
        assertEquals(List.of("new from alice", "decoded push", "(image)"), pushed.stream().map(ChatMessage::text).toList());
        assertTrue(pushed.stream().allMatch(m -> m.chatGuid().equals(ALICE_DM) && m.user().equals(ALICE)));
        var meta = ImessageSource.meta(pushed.get(0));
        assertEquals(List.of("chat_id", "message_id", "user", "ts"), List.copyOf(meta.keySet()));
        assertTrue(im.poll().isEmpty(), "each row once");

        access.deny(List.of(ALICE));
        db.inbound(aliceDm, alice, "after deny");
        assertTrue(im.poll().isEmpty(), "the allowlist is re-read: a closed list pushes nothing");
        access.allow(List.of(ALICE));
        assertTrue(im.poll().isEmpty(), "rows dropped while closed are not replayed later");
        assertFalse(Imessage.deliverable(pushed.get(0), Set.of()));
    }

    @Test
    void selfHandlesComeFromTheOwnersAccountsAndTheSelfChatIsAllowed() throws Exception {
        long owner = db.handle("owner@example.com", "iMessage");
        long selfDm = db.chat("iMessage;-;owner@example.com", 45, "iMessage", owner);
        db.message(aliceDm, alice, "from me", null, true, "iMessage", false);
        Files.createDirectories(access.file().getParent());
        Files.writeString(access.file(), "allow_from = []\n\n[self]\nchat_id = \"iMessage;-;+15559990000\"\nhandles = []\n");
        var chats = im.allowed().chats();
        assertTrue(chats.contains("iMessage;-;+15559990000") && chats.contains("iMessage;-;owner@example.com"), chats.toString());
        assertFalse(chats.contains(ALICE_DM));
        assertEquals(Map.of("sent", true, "chat_id", "iMessage;-;+15559990000"), im.reply(null, "note to self"));
        assertTrue(selfDm > 0);
    }

    @Test
    void unreadableChatDbIsAClearErrorNamingFullDiskAccess() {
        access.allow(List.of(ALICE));
        Imessage missing = new Imessage(access, new ImessageSource.LazyDb(dir.resolve("nope.db")), (t, c) -> {});
        var e = assertThrows(ai.netsky.core.NetskyException.class, () -> missing.listMessages(null, null));
        assertTrue(e.getMessage().contains("Full Disk Access") && e.getMessage().contains("NETSKY_IO_CHAT_DB"), e.getMessage());
    }
}
