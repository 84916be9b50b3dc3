package ai.netsky.lifecycle.stub;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Reads the agent's inbox directly (delivered files move to processed/, malformed to quarantine/). */
public final class InboxTransport implements StubTransport {
    private final AgentId self;
    private final Inbox inbox;
    private final EnvelopeWriter writer;
    private final Deque<Inbound> ready = new ArrayDeque<>();

    public InboxTransport(NetskyPaths paths, AgentId self) {
        this.self = self;
        this.inbox = new Inbox(paths, self);
        this.writer = new EnvelopeWriter(paths);
    }

    @Override
    public String name() {
        return "inbox";
    }

    @Override
    public void start() {}

    @Override
    public Optional<Inbound> next(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (ready.isEmpty()) {
            for (Path p : inbox.pending()) {
                switch (inbox.read(p)) {
                    case Inbox.Ready r -> {
                        if (inbox.markProcessed(p)) {
                            Envelope e = r.envelope();
                            ready.add(new Inbound(e.id(), e.from(), e.kind(), e.text()));
                        }
                    }
                    case Inbox.Malformed m -> inbox.quarantine(p, m.reason());
                    case null -> {}
                }
            }
            if (!ready.isEmpty() || System.nanoTime() > deadline) break;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.ofNullable(ready.poll());
    }

    @Override
    public void reply(Inbound to, String kind, String text) {
        writer.send(AgentId.of(to.from()), Envelope.now(self.name(), text).withTo(to.from()).withKind(kind).withInReplyTo(to.id()));
    }

    @Override
    public void close() {}
}
