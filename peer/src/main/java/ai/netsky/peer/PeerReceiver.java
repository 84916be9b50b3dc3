package ai.netsky.peer;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import io.nats.client.impl.Headers;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Instant;

/**
 * The receive path, independent of the NATS client: verify (size, allowlist, signature, envelope)
 * before anything is written, then deliver exactly once into the local inbox through the envelope
 * writer, remembering the message in the {@link ReceiptJournal}.
 */
public final class PeerReceiver {
    /** What the caller does with the broker message: ack (delivered or duplicate), term (refused), nak (retry later). */
    public enum Outcome { DELIVERED, DUPLICATE, REFUSED, RETRY }

    private final NetskyPaths paths;
    private final String ownKey;
    private final AllowlistSource allowlist;
    private final ReceiptJournal journal;
    private final EnvelopeWriter writer;
    private final PeerLog log;

    public PeerReceiver(NetskyPaths paths, String ownKey, AllowlistSource allowlist, PeerLog log) {
        this.paths = paths;
        this.ownKey = ownKey;
        this.allowlist = allowlist;
        this.journal = new ReceiptJournal(paths);
        this.writer = new EnvelopeWriter(paths);
        this.log = log;
    }

    public ReceiptJournal journal() { return journal; }

    public Outcome handle(Headers headers, byte[] payload) {
        PeerWire.Verdict verdict;
        try {
            verdict = PeerWire.open(ownKey, allowlist.current(), headers, payload, Instant.now());
        } catch (NetskyException badAllowlist) {
            log.info("refused message: the allowlist cannot be read (" + badAllowlist.getMessage() + ")");
            return Outcome.RETRY; // fail closed, but keep the message until the allowlist is fixed
        }
        return switch (verdict) {
            case PeerWire.Refused r -> {
                log.info("refused message" + (r.fromKey() == null ? "" : " from key " + PeerWire.printable(r.fromKey())) + ": " + r.reason());
                yield Outcome.REFUSED;
            }
            case PeerWire.Accepted a -> deliver(a);
        };
    }

    private Outcome deliver(PeerWire.Accepted a) {
        try {
            var receipt = journal.lookup(a.fromKey(), a.msgId());
            if (receipt.isPresent()) {
                log.info("duplicate " + a.msgId() + " from " + a.label() + " dropped (already delivered as " + receipt.get().file() + ")");
                return Outcome.DUPLICATE;
            }
            // The name is fixed by the message, so a redelivery after a crash finds the file it already wrote.
            String name = a.inboxName();
            boolean wrote = !present(a.to(), name) && writer.writeAs(paths.inbox(a.to()), name, a.envelope());
            journal.record(a.fromKey(), a.msgId(), new ReceiptJournal.Receipt(a.to().name(), name));
            if (!wrote) {
                log.info("duplicate " + a.msgId() + " from " + a.label() + " dropped (" + name + " exists)");
                return Outcome.DUPLICATE;
            }
            log.info("delivered " + a.msgId() + " from " + a.envelope().from() + " to " + a.to() + ": " + name);
            return Outcome.DELIVERED;
        } catch (NetskyException e) {
            log.info("cannot deliver " + a.msgId() + " from " + a.label() + " yet: " + e.getMessage());
            return Outcome.RETRY;
        }
    }

    /** Inbox first, then processed/: a consumer moves a file inbox → processed atomically, so one of the two sees it. */
    private boolean present(AgentId agent, String name) {
        return Files.exists(paths.inbox(agent).resolve(name), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(paths.processed(agent).resolve(name), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(paths.quarantine(agent).resolve(name), LinkOption.NOFOLLOW_LINKS);
    }
}
