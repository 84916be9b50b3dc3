package ai.netsky.cli;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.store.Event;
import ai.netsky.store.EventStore;
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

    static boolean off(Map<String, String> env) {
        return "1".equals(env.get(ENV_OFF));
    }

    /** Records one event; false when it was lost (the line has then been printed). */
    boolean record(Event e) {
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
        String json;
        try {
            json = EnvelopeCodec.mapper().writeValueAsString(argv);
        } catch (RuntimeException e) {
            json = "[]";
        }
        record(new Event.CliInvocation(Instant.now(), "netsky", json, exitCode, durationMs, host(ctx.env())));
    }

    private void complain(PrintStream err, String why) {
        if (complained) return;
        complained = true;
        err.println("[netsky cli] meta-db record failed: " + why);
    }

    void close() {
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
