package ai.netsky.cli;

import ai.netsky.store.Event;
import ai.netsky.store.EventStore;
import ai.netsky.store.Spool;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * netsky's observability.rs: best-effort recording into meta.db for the CLI. Nothing here throws
 * or changes an exit code; when a row is lost (meta.db and its spool both failed) one
 * {@code [netsky cli] meta-db record failed: …} line goes to stderr, at most once per process run.
 * {@code NETSKY_NO_META_DB=1} turns recording off (benchmark baseline, emergencies).
 */
final class Observability {
    static final String ENV_OFF = "NETSKY_NO_META_DB";

    private final CliContext ctx;
    private EventStore store;
    private boolean complained;

    Observability(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Off on request, and without a HOME (there is no meta.db then; the command itself says why). */
    static boolean off(Map<String, String> env) {
        String home = env.get("HOME");
        return "1".equals(env.get(ENV_OFF)) || home == null || home.isBlank();
    }

    private Thread warming;
    /** Set when the run ended before meta.db was open: its row went to the journal; the opener closes its own store. */
    private volatile boolean abandoned;

    /**
     * Opens meta.db on a background thread while the command runs, so the cli_invocations insert at
     * the end finds the connection (and sqlite-jdbc's classes and native library) ready: the
     * start-up cost overlaps the command's own work instead of adding to it.
     */
    void prewarm() {
        if (off(ctx.env())) return;
        Thread t = new Thread(() -> {
            synchronized (this) {
                try {
                    if (store == null) store = new EventStore(ctx.paths(), ctx.env());
                    store.warm();
                    if (abandoned) {
                        store.close();
                        store = null;
                    }
                } catch (RuntimeException noHome) {
                    // record() reports it.
                }
            }
        }, "netsky-meta-db-open");
        t.setDaemon(true);
        warming = t;
        t.start();
    }

    /** Records one event; false when it was lost (the line has then been printed). */
    synchronized boolean record(Event e) {
        if (off(ctx.env())) return true;
        try {
            if (store == null) store = new EventStore(ctx.paths(), ctx.env());
            EventStore.Result r = store.record(e);
            if (r.failure() == null) return true;
            complain(ctx.err(), r.failure());
        } catch (RuntimeException unexpected) {
            complain(ctx.err(), String.valueOf(unexpected.getMessage()));
        }
        return false;
    }

    void recordInvocation(String[] args, int exitCode, long durationMs) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add("netsky");
        argv.addAll(List.of(args));
        // Hand-written JSON: loading Jackson here would cost more than the insert.
        String json = ai.netsky.store.JsonLine.array(argv);
        Event row = new Event.CliInvocation(Instant.now(), "netsky", json, exitCode, durationMs, host(ctx.env()));
        Thread t = warming;
        if (t != null && t.isAlive() && !off(ctx.env())) {
            // The command was quicker than opening meta.db: journal the row (a file append) and let the
            // next process that opens meta.db import it, rather than make this one wait for the open.
            abandoned = true;
            try {
                Spool.journal(ctx.paths()).append(row, "deferred: the command ended before meta.db was open");
            } catch (java.io.IOException | RuntimeException e) {
                complain(ctx.err(), "journal " + e.getMessage());
            }
            return;
        }
        record(row);
    }

    private void complain(PrintStream err, String why) {
        if (complained) return;
        complained = true;
        err.println("[netsky cli] meta-db record failed: " + why);
    }

    void close() {
        Thread t = warming;
        if (abandoned && t != null && t.isAlive()) return; // the opening thread closes its store when it is done
        synchronized (this) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (store != null) store.close();
        store = null;
    }

    /** The host name without a DNS lookup (InetAddress can stall on a broken resolver). */
    static String host(Map<String, String> env) {
        String h = env.get("HOSTNAME");
        if (h != null && !h.isBlank()) return h.strip();
        for (String f : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String s = Files.readString(Path.of(f)).strip();
                if (!s.isEmpty()) return s;
            } catch (java.io.IOException | RuntimeException ignored) {
                // Try the next source.
            }
        }
        return "localhost";
    }
}
