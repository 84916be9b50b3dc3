package ai.netsky.channels;

import ai.netsky.core.Envelope;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.StandardOpenOption;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drains one agent's inbox into a {@link DeliverySink}, oldest file name first. A WatchService
 * (inotify on Linux) wakes it the moment a file is linked in; a full rescan every {@code rescan}
 * is the source of truth, so a lost or overflowed event only delays a message, never strands it.
 * Everything pending at start-up is delivered first.
 *
 * <p>Per envelope: malformed → {@code quarantine/} with a reason; already delivered (its name or its
 * {@code idempotency_key}/{@code id} is in the {@link DeliveryLedger}) → moved to {@code processed/}
 * without a second push; otherwise delivered, recorded in the ledger, then moved to {@code processed/}.
 * A crash between the push and the ledger record can repeat that one envelope after a restart
 * (at-least-once, never lost); a crash at any other point repeats nothing.
 */
public final class InboxDelivery implements AutoCloseable {
    private final Inbox inbox;
    private final DeliveryLedger ledger;
    private final DeliverySink sink;
    private final Duration rescan;
    private final PrintStream log;
    private final Consumer<Envelope> onDelivered;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final boolean useWatch;
    private final Path lockPath;
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile WatchService watcher;
    private WatchKey key;
    private final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();

    public InboxDelivery(Inbox inbox, DeliveryLedger ledger, DeliverySink sink, Duration rescan, PrintStream log,
                         Consumer<Envelope> onDelivered) {
        this(inbox, ledger, sink, rescan, log, onDelivered, true);
    }

    /** {@code watch = false}: rescan only (a plain poll, like netsky's 250 ms loop; the benchmark's baseline). */
    public InboxDelivery(Inbox inbox, DeliveryLedger ledger, DeliverySink sink, Duration rescan, PrintStream log,
                         Consumer<Envelope> onDelivered, boolean watch) {
        this.useWatch = watch;
        this.lockPath = ledger.file().resolveSibling(inbox.agent().name() + "-delivery.lock");
        this.inbox = inbox;
        this.ledger = ledger;
        this.sink = sink;
        this.rescan = rescan;
        this.log = log;
        this.onDelivered = onDelivered;
    }

    /** Opens the ledger at its standard place, {@code ~/.netsky/state/<agent>-delivered.log}. */
    public static DeliveryLedger openLedger(NetskyPaths paths, Inbox inbox) {
        Set<String> pending = new HashSet<>();
        for (Path p : inbox.pending()) pending.add(p.getFileName().toString());
        return DeliveryLedger.open(paths, paths.agentStateFile(inbox.agent(), "delivered.log"), pending);
    }

    /** Starts the delivery thread. */
    public InboxDelivery start() {
        thread = Thread.ofPlatform().name("inbox-" + inbox.agent()).daemon().start(this::loop);
        return this;
    }

    public long deliveredCount() {
        return delivered.get();
    }

    private void loop() {
        if (java.nio.file.Files.isSymbolicLink(lockPath)) {
            log.println("[netsky io] refusing to deliver: " + lockPath + " is a symlink; netsky never writes through symlinks — remove it");
            stopped.countDown();
            return;
        }
        try (FileChannel lockFile = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            // One deliverer per inbox: a second server for the same agent (a restarted client, a stray copy)
            // would read the same files before either moved them and push them twice. The OS drops the lock
            // when its holder dies, even by SIGKILL.
            FileLock lock = null;
            boolean said = false;
            while (running && (lock = tryLock(lockFile)) == null) {
                if (!said) log.println("[netsky io] another channel server is delivering " + inbox.agent() + "'s inbox; waiting to take over");
                said = true;
                sleep(rescan);
            }
            if (lock == null) return;
            inbox.collectStaleTmp(Duration.ofMinutes(10));
            while (running) {
                watch();
                if (!pass()) break;
                waitForChange();
            }
        } catch (RuntimeException | IOException e) {
            log.println("[netsky io] inbox delivery for " + inbox.agent() + " stopped: " + e.getMessage());
        } finally {
            closeWatcher();
            stopped.countDown();
        }
    }

    /**
     * The files to deliver this pass, in name order, without holes. A directory listing taken while writers
     * link files in is not a snapshot (readdir walks hash order), so it can hold a sender's file n+1 but miss
     * its file n. Any file n whose n+1 the first listing saw was linked before that listing ended, so a
     * second listing has it: deliver the union, up to the first listing's last name (later names wait for
     * the next pass, where the same argument covers them).
     */
    List<Path> snapshot() {
        List<Path> first = inbox.pending();
        if (first.isEmpty()) return first;
        Path last = first.getLast();
        TreeSet<Path> union = new TreeSet<>(first);
        for (Path p : inbox.pending()) if (p.compareTo(last) <= 0) union.add(p);
        return new ArrayList<>(union);
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            return null; // held by another delivery in this JVM
        }
    }

    /** One full scan; returns false when the consumer is gone for good. */
    boolean pass() {
        for (Path file : snapshot()) {
            if (!running) return false;
            String name = file.getFileName().toString();
            Inbox.Item item;
            try {
                item = inbox.read(file);
            } catch (NetskyException unreadable) {
                log.println("[netsky io] skipping " + name + " this pass: " + unreadable.getMessage());
                continue;
            }
            switch (item) {
                case null -> { }
                case Inbox.Malformed bad -> {
                    if (inbox.quarantine(bad.path(), bad.reason())) {
                        log.println("[netsky io] quarantined " + name + ": " + bad.reason());
                    }
                }
                case Inbox.Ready ready -> {
                    Envelope env = ready.envelope();
                    String dedup = env.dedupKey();
                    if (ledger.deliveredFile(name)) {
                        inbox.markProcessed(file); // pushed before a crash, not yet moved
                        continue;
                    }
                    if (ledger.seenKey(dedup)) {
                        log.println("[netsky io] " + name + " repeats an envelope already delivered (" + dedup + "); not delivered again");
                        ledger.record(name, null);
                        inbox.markProcessed(file);
                        continue;
                    }
                    try {
                        sink.deliver(env);
                    } catch (DeliverySink.NotDelivered not) {
                        if (not.fatal()) {
                            log.println("[netsky io] stopping delivery: " + not.getMessage());
                            return false;
                        }
                        log.println("[netsky io] " + name + " not delivered yet (" + sink.name() + "): " + not.getMessage() + "; retrying");
                        return true; // keep filename order: nothing after it goes first
                    }
                    ledger.record(name, dedup);
                    inbox.markProcessed(file);
                    delivered.incrementAndGet();
                    onDelivered.accept(env);
                }
            }
        }
        return true;
    }

    private void watch() {
        if (!useWatch || (key != null && key.isValid())) return;
        try {
            if (watcher == null) watcher = FileSystems.getDefault().newWatchService();
            if (!running) return;
            Path dir = inbox.dir();
            if (!java.nio.file.Files.isDirectory(dir)) return;
            key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException | UnsupportedOperationException e) {
            key = null; // the rescan still delivers everything
        }
    }

    private void waitForChange() {
        if (watcher == null || key == null) {
            sleep(rescan);
            return;
        }
        try {
            WatchKey k = watcher.poll(rescan.toNanos(), TimeUnit.NANOSECONDS);
            if (k != null) {
                k.pollEvents();
                if (!k.reset()) key = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (ClosedWatchServiceException closed) {
            running = false;
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // nothing to release beyond the descriptor
            }
        }
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        if (thread == null) return true; // never started (the client never initialized)
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        // No interrupt: it would close the ledger's FileChannel mid-write. Closing the watch service
        // wakes the wait instead, and a pass checks the flag before each file.
        running = false;
        closeWatcher();
    }
}
