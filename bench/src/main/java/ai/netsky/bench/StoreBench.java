package ai.netsky.bench;

import ai.netsky.core.NetskyPaths;
import ai.netsky.store.Event;
import ai.netsky.store.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 5 figures: what recording one event costs a short-lived netsky process.
 * <ol>
 *   <li>a fresh JVM doing one open+insert+close, with sqlite-jdbc's default native-library
 *       extraction vs netsky's cached copy (time measured inside the child, JVM start excluded);</li>
 *   <li>warm, in one JVM: open+insert+close per event, and inserts on one open connection;</li>
 *   <li>end to end: {@code netsky --version} with recording ({@code cli_invocations}) vs
 *       {@code NETSKY_NO_META_DB=1} (same launcher, same AOT cache).</li>
 * </ol>
 * Usage: bench/run StoreBench [coldRuns] [warmOps]
 */
public final class StoreBench {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--once")) {
            once(Path.of(args[1]));
            return;
        }
        int coldRuns = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int warmOps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path home = Files.createTempDirectory("netsky-storebench-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> child = List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", cp);

        once(home); // creates and migrates meta.db, fills the native-library cache
        Stats dflt = cold(coldRuns, child, List.of("-Dnetsky.sqlite.nativeCache=false"), home);
        Stats cached = cold(coldRuns, child, List.of(), home);
        System.out.println("fresh JVM, first open+insert+close, sqlite-jdbc default extraction: " + dflt);
        System.out.println("fresh JVM, first open+insert+close, cached native library:          " + cached);
        System.out.printf("  -> cached/default p50 ratio %.2f%n", cached.medianMs() / dflt.medianMs());

        NetskyPaths paths = new NetskyPaths(home);
        long[] perEvent = new long[warmOps];
        for (int i = 0; i < warmOps; i++) {
            long t = System.nanoTime();
            try (EventStore s = new EventStore(paths, 10_000)) {
                s.record(tick(i));
            }
            perEvent[i] = System.nanoTime() - t;
        }
        long[] inserts = new long[warmOps];
        try (EventStore s = new EventStore(paths, 10_000)) {
            for (int i = 0; i < warmOps; i++) {
                long t = System.nanoTime();
                s.record(tick(i));
                inserts[i] = System.nanoTime() - t;
            }
        }
        Stats open = Stats.of(perEvent);
        Stats ins = Stats.of(inserts);
        System.out.println("warm JVM, open+insert+close per event: " + open);
        System.out.println("warm JVM, insert on an open connection: " + ins);
        System.out.printf("  -> open+close overhead p50 %.2fx an insert%n", open.medianMs() / ins.medianMs());

        Path repo = Path.of(System.getProperty("netsky.repo", "."));
        String netsky = repo.resolve("bin/netsky").toString();
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
        BusBench.run(List.of(netsky, "--version"), env); // built, AOT cache trained
        Map<String, String> off = new HashMap<>(env);
        off.put("NETSKY_NO_META_DB", "1");
        compare("netsky --version", List.of(netsky, "--version"), env, off, coldRuns);
        // A command with work of its own: the background open overlaps it.
        compare("netsky channel send", List.of(netsky, "channel", "send", "agent1", "bench"), env, off, coldRuns);
    }

    /** Interleaved runs with and without recording, so machine noise hits both alike. */
    private static void compare(String what, List<String> argv, Map<String, String> on, Map<String, String> off, int runs) throws Exception {
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            BusBench.run(argv, on);
            with.add(System.nanoTime() - t);
            t = System.nanoTime();
            BusBench.run(argv, off);
            without.add(System.nanoTime() - t);
        }
        Stats w = Stats.of(with.stream().mapToLong(Long::longValue).toArray());
        Stats wo = Stats.of(without.stream().mapToLong(Long::longValue).toArray());
        System.out.println(what + ", recording cli_invocations: " + w);
        System.out.println(what + ", NETSKY_NO_META_DB=1:       " + wo);
        System.out.printf("  -> recording adds %.1f ms at p50 (%.2fx)%n", w.medianMs() - wo.medianMs(), w.medianMs() / wo.medianMs());
    }

    private static Event tick(int i) {
        return new Event.CliInvocation(Instant.now(), "netsky", "[\"netsky\",\"bench\",\"" + i + "\"]", 0, 1, "bench");
    }

    /** One cold open+insert+close; prints the elapsed nanoseconds (JVM start excluded). */
    static void once(Path home) {
        long t = System.nanoTime();
        try (EventStore s = new EventStore(new NetskyPaths(home), 10_000)) {
            if (!s.record(tick(0)).stored()) throw new IllegalStateException("not stored");
        }
        System.out.println(System.nanoTime() - t);
    }

    private static Stats cold(int runs, List<String> child, List<String> props, Path home) throws Exception {
        long[] out = new long[runs];
        for (int i = 0; i < runs; i++) {
            List<String> argv = new ArrayList<>(child);
            argv.addAll(1, props);
            argv.addAll(List.of(StoreBench.class.getName(), "--once", home.toString()));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String o = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) throw new IllegalStateException(o);
            String[] lines = o.split("\n");
            out[i] = Long.parseLong(lines[lines.length - 1].strip());
        }
        return Stats.of(out);
    }
}
