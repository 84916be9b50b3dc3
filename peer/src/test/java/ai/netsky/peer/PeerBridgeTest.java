package ai.netsky.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeRules;
import ai.netsky.core.EnvelopeWriter;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.NKey;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two netsky homes on one machine ("hosta", "hostb") linked through a real nats-server with
 * JetStream, started on a loopback port with a temp store.
 */
class PeerBridgeTest {
    static LocalNatsServer nats;
    static Path natsDir;

    @TempDir Path base;
    TestHost a;
    TestHost b;
    PeerSettings settings;

    @BeforeAll
    static void broker() throws Exception {
        natsDir = Files.createTempDirectory("netsky-nats-");
        // max_payload above our 1 MiB cap, so the receiver's own size check is what refuses oversize messages.
        nats = new LocalNatsServer(natsDir, List.of("max_payload: 4194304")).start();
    }

    @AfterAll
    static void stopBroker() {
        if (nats != null) nats.close();
    }

    @BeforeEach
    void hosts() throws Exception {
        // Each test gets its own stream, so tests cannot see each other's messages.
        String stream = "T" + Long.toHexString(System.nanoTime());
        settings = new PeerSettings(List.of(nats.url()), stream, "t." + stream, Duration.ofDays(1), null, null, new char[0], null,
                Duration.ofSeconds(2));
        a = new TestHost("hosta", base, settings);
        b = new TestHost("hostb", base, settings);
        a.allow("hostb", b);
        b.allow("hosta", a);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void envelopesCrossBothWaysWithVerifiedFromAndReplyRoutesBack() {
        a.startBridge();
        b.startBridge();
        Envelope brief = Envelope.now("agent3", "hello from a").withId("m-1").withThread("t-9");
        new EnvelopeWriter(a.paths).deliver("agent1@hostb", brief);

        TestHost.await("agent1 on hostb has the brief", Duration.ofSeconds(15), () -> b.inbox("agent1").size() == 1);
        Envelope got = b.inbox("agent1").get(0);
        assertEquals("agent3@hosta", got.from(), "from is rewritten to the sender's verified label");
        assertEquals("agent1", got.to());
        assertEquals("hello from a", got.text());
        assertEquals("m-1", got.id());

        // agent1 replies to the remote sender exactly as it would to a local one.
        new EnvelopeWriter(b.paths).deliver(got.from(), got.replyFrom("agent1", "pong"));
        TestHost.await("agent3 on hosta has the reply", Duration.ofSeconds(15), () -> a.inbox("agent3").size() == 1);
        Envelope reply = a.inbox("agent3").get(0);
        assertEquals("agent1@hostb", reply.from());
        assertEquals("agent3", reply.to());
        assertEquals("pong", reply.text());
        assertEquals("m-1", reply.inReplyTo());
        assertEquals("t-9", reply.thread());
        assertEquals(0, a.outboxPending());
        assertEquals(0, b.outboxPending());
        assertTrue(Files.exists(a.paths.peerChannelDir().resolve("sent")), "published envelopes move to sent/");
    }

    @Test
    void receiverOfflineDuringSendGetsEverythingWhenItComesBack() {
        b.startBridge(); // declares hostb's durable consumer, then hostb goes away
        b.stopBridge();
        a.startBridge();
        EnvelopeWriter w = new EnvelopeWriter(a.paths);
        for (int i = 0; i < 5; i++) w.deliver("agent2@hostb", Envelope.now("agent0", "offline " + i));
        TestHost.await("hosta published all 5", Duration.ofSeconds(15), () -> a.bridge.published() == 5);
        assertEquals(0, b.inbox("agent2").size(), "nothing can arrive while hostb is offline");

        b.startBridge();
        TestHost.await("hostb received the 5 queued envelopes", Duration.ofSeconds(15), () -> b.inbox("agent2").size() == 5);
        assertEquals(Set.of("offline 0", "offline 1", "offline 2", "offline 3", "offline 4"),
                b.inbox("agent2").stream().map(Envelope::text).collect(Collectors.toSet()));
    }

    @Test
    void sendsQueueWhileTheBridgeIsDownAndLeaveWhenItStarts() {
        new EnvelopeWriter(a.paths).deliver("agent1@hostb", Envelope.now("agent0", "queued before any bridge"));
        assertEquals(1, a.outboxPending());
        b.startBridge();
        a.startBridge();
        TestHost.await("queued envelope delivered", Duration.ofSeconds(15), () -> b.inbox("agent1").size() == 1);
        assertEquals("agent0@hosta", b.inbox("agent1").get(0).from());
    }

    @Test
    void brokerRestartMidStreamLosesAndDoublesNothing() throws Exception {
        a.startBridge();
        b.startBridge();
        int n = 60;
        EnvelopeWriter w = new EnvelopeWriter(a.paths);
        for (int i = 0; i < n / 2; i++) w.deliver("agent1@hostb", Envelope.now("agent0", "msg " + i));
        TestHost.await("some of the first half published", Duration.ofSeconds(15), () -> a.bridge.published() > 0);
        nats.stop();
        for (int i = n / 2; i < n; i++) w.deliver("agent1@hostb", Envelope.now("agent0", "msg " + i)); // while the broker is down
        assertTrue(a.outboxPending() > 0, "sends during the outage wait in the outbox");
        nats.start();
        TestHost.await("all " + n + " delivered after the restart", Duration.ofSeconds(60), () -> b.inbox("agent1").size() >= n);
        TestHost.await("hosta's outbox drained", Duration.ofSeconds(15), () -> a.outboxPending() == 0);
        // Let any redelivery of a lost ack happen (ack wait is 2 s here), then count again.
        try (PeerClient c = PeerClient.connect(settings, a.log())) {
            TestHost.await("hostb's consumer has nothing pending or unacked", Duration.ofSeconds(20), () -> {
                try {
                    var info = c.consumer(b.identity.publicKey());
                    return info.getNumPending() == 0 && info.getNumAckPending() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
        }
        List<String> texts = b.inbox("agent1").stream().map(Envelope::text).sorted().toList();
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < n; i++) expected.add("msg " + i);
        assertEquals(n, texts.size(), "exactly once: no envelope doubled");
        assertEquals(expected, new TreeSet<>(texts), "nothing lost");
    }

    @Test
    @SuppressWarnings("try")
    void unknownAndForgedPeersAreRefusedWithAReasonAndNothingIsWritten() throws Exception {
        b.startBridge();
        NKey stranger = NKey.createUser(new SecureRandom());
        byte[] payload = EnvelopeCodec.toJson(Envelope.now("agent0", "let me in").withTo("agent1@hostb"));
        String subject = settings.subjectFor(b.identity.publicKey());
        try (Connection nc = Nats.connect(nats.url())) {
            var js = nc.jetStream();
            // 1. a key hostb has never heard of, validly signed by itself
            js.publish(subject, signed(stranger, new String(stranger.getPublicKey()), "unknown-0001", b, payload), payload,
                    io.nats.client.PublishOptions.builder().messageId("unknown-0001").build());
            // 2. claims to be hosta, signed by the stranger's key
            js.publish(subject, signed(stranger, a.identity.publicKey(), "forged-00001", b, payload), payload,
                    io.nats.client.PublishOptions.builder().messageId("forged-00001").build());
            // 3. hosta's genuine signature, but the body was altered after signing
            Headers h = signed(null, a.identity.publicKey(), "altered-0001", b, payload);
            byte[] altered = new String(payload, StandardCharsets.UTF_8).replace("let me in", "rm -rf ~").getBytes(StandardCharsets.UTF_8);
            js.publish(subject, h, altered, io.nats.client.PublishOptions.builder().messageId("altered-0001").build());
            // 4. no signature at all
            js.publish(subject, new Headers(), payload, io.nats.client.PublishOptions.builder().messageId("nosig-000001").build());
        }
        TestHost.await("hostb refused all four", Duration.ofSeconds(15), () -> b.bridge.refused() == 4);
        assertEquals(0, b.bridge.delivered());
        assertEquals(0, b.inbox("agent1").size(), "nothing written to the inbox");
        assertTrue(!Files.exists(b.paths.inbox(ai.netsky.core.AgentId.of("agent1"))), "not even the inbox directory");
        String log = b.logText();
        assertTrue(log.contains("unknown peer: key " + new String(stranger.getPublicKey())), log);
        assertTrue(log.contains("forged: signature does not verify against peer 'hosta'"), log);
        assertTrue(log.contains("unsigned"), log);
        assertEquals(2, log.split("forged: signature does not verify", -1).length - 1 , "the stranger's and the altered message: " + log);
    }

    @Test
    @SuppressWarnings("try")
    void oversizeIsRefusedByReceiverAndBySender() throws Exception {
        b.startBridge();
        // A genuine hosta signature over a body past the 1 MiB cap (the broker here allows 4 MiB).
        String big = "x".repeat(PeerWire.MAX_PAYLOAD_BYTES);
        byte[] payload = EnvelopeCodec.toJson(Envelope.now("agent0", big).withTo("agent1@hostb"));
        try (Connection nc = Nats.connect(nats.url())) {
            nc.jetStream().publish(settings.subjectFor(b.identity.publicKey()), signed(null, a.identity.publicKey(), "oversize-001", b, payload),
                    payload, io.nats.client.PublishOptions.builder().messageId("oversize-001").build());
        }
        TestHost.await("hostb refused the oversize message", Duration.ofSeconds(15), () -> b.bridge.refused() == 1);
        assertTrue(b.logText().contains("oversize: " + payload.length + " bytes, over the 1048576-byte cap"), b.logText());
        assertEquals(0, b.inbox("agent1").size());

        // Sending side: text under the text cap whose JSON escapes past 1 MiB never enters the outbox,
        // and a one-shot send refuses it before publishing.
        String controls = "\u0001".repeat(200_000);
        Envelope inflated = Envelope.now("agent0", controls).withTo("agent1@hostb");
        var e = assertThrows(EnvelopeRules.InvalidEnvelopeException.class, () -> new EnvelopeWriter(a.paths).deliver("agent1@hostb", inflated));
        assertTrue(e.getMessage().contains("over the 1048576-byte cap"), e.getMessage());
        assertEquals(0, a.outboxPending());
        var pub = new PeerPublisher(a.identity, settings);
        var e2 = assertThrows(PeerPublisher.Undeliverable.class, () -> pub.seal(PeerAllowlist.load(a.allowlistFile), inflated, "x"));
        assertTrue(e2.getMessage().contains("over the 1048576-byte cross-machine cap"), e2.getMessage());
    }

    @Test
    void unknownLabelStaysHomeInQuarantine() throws Exception {
        a.startBridge();
        new EnvelopeWriter(a.paths).deliver("agent1@nosuchhost", Envelope.now("agent0", "to nowhere"));
        Path q = a.paths.peerChannelDir().resolve("quarantine");
        TestHost.await("quarantined and logged", Duration.ofSeconds(15), () -> {
            try {
                return a.outboxPending() == 0 && a.logText().contains("not sent, quarantined");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertTrue(a.logText().contains("unknown peer 'nosuchhost'"), a.logText());
        try (var files = Files.list(q)) {
            assertEquals(2, files.count(), "the envelope and its reason file");
        }
        assertEquals(0, a.bridge.published());
    }

    /** Headers as a peer would seal them; {@code signer} null means the genuine key of hosta. */
    private Headers signed(NKey signer, String claimedKey, String msgId, TestHost dest, byte[] payload) throws Exception {
        long at = Instant.now().toEpochMilli();
        byte[] input = PeerWire.signingInput(msgId, claimedKey, dest.identity.publicKey(), at, payload);
        byte[] sig = signer == null ? a.identity.sign(input) : signer.sign(input);
        Headers h = new Headers();
        h.put(PeerWire.H_FROM_KEY, claimedKey);
        h.put(PeerWire.H_SENT_AT, Long.toString(at));
        h.put(PeerWire.H_SIG, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
        return h;
    }
}
