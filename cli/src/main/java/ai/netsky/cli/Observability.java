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
        if (!isOpen() && !off(ctx.env())) {
            // This run never opened meta.db: journal the row (one file append, ~1 ms) and let the next
            // process that opens meta.db import it, instead of paying for an open (~80 ms cold) here.
            try {
                Spool.journal(ctx.paths()).append(row, "deferred: this run had not opened meta.db");
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

    /** True when this run already has meta.db open (it recorded events of its own). */
    private synchronized boolean isOpen() {
        return store != null && store.isOpen();
    }

    synchronized void close() {
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
