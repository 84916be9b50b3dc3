package ai.netsky.bench;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeWriter;
import ai.netsky.core.NetskyPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 2 figures: durable envelope writes per second (vs a plain non-durable file write, same run)
 * and the cold-start time of {@code netsky channel send} (vs a bare-JVM hello world, same flags).
 * Usage: bench/run BusBench [writes] [coldRuns]
 */
public final class BusBench {
    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int coldRuns = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path home = Files.createTempDirectory("netsky-bench-");
        NetskyPaths paths = new NetskyPaths(home);
        EnvelopeWriter writer = new EnvelopeWriter(paths);
        AgentId to = AgentId.of("agent1");
        String body = "x".repeat(200);
        for (int i = 0; i < 200; i++) writer.send(to, Envelope.now("agent0", body)); // warm-up

        long t0 = System.nanoTime();
        for (int i = 0; i < writes; i++) writer.send(to, Envelope.now("agent0", body));
        double durable = writes / ((System.nanoTime() - t0) / 1e9);

        Path plainDir = Files.createDirectories(home.resolve("plain"));
        byte[] bytes = EnvelopeCodec.toJson(Envelope.now("agent0", body));
        long t1 = System.nanoTime();
        for (int i = 0; i < writes; i++) Files.write(plainDir.resolve(i + ".json"), bytes);
        double plain = writes / ((System.nanoTime() - t1) / 1e9);
        System.out.printf("durable envelope writes: %.0f/s (validate+json+tmp+fsync+link+unlink+dir fsync), n=%d%n", durable, writes);
        System.out.printf("baseline plain Files.write (no fsync, no link): %.0f/s  -> durable costs %.1fx%n", plain, plain / durable);

        Path repo = Path.of(System.getProperty("netsky.repo", "."));
        String netsky = repo.resolve("bin/netsky").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Map<String, String> env = Map.of("HOME", home.toString());
        run(List.of(netsky, "--version"), env); // make sure it is built and the AOT cache is trained
        Stats hello = time(coldRuns, List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, Hello.class.getName()), env);
        Stats send = time(coldRuns, List.of(netsky, "channel", "send", "agent2", "bench"), env);
        Map<String, String> noCds = new java.util.HashMap<>(env);
        noCds.put("NETSKY_NO_CDS", "1");
        Stats sendNoCache = time(coldRuns, List.of(netsky, "channel", "send", "agent2", "bench"), noCds);
        Stats version = time(coldRuns, List.of(netsky, "--version"), env);
        System.out.println("bare-JVM hello world:                 " + hello);
        System.out.println("netsky --version:                     " + version);
        System.out.println("netsky channel send (AOT/CDS cache):  " + send);
        System.out.println("netsky channel send (no cache):       " + sendNoCache);
        System.out.printf("ratios vs hello p50: send %.2fx, send without cache %.2fx, --version %.2fx%n",
                send.medianMs() / hello.medianMs(), sendNoCache.medianMs() / hello.medianMs(), version.medianMs() / hello.medianMs());
    }

    static Stats time(int runs, List<String> argv, Map<String, String> env) throws Exception {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            run(argv, env);
            samples.add(System.nanoTime() - t);
        }
        return Stats.of(samples.stream().mapToLong(Long::longValue).toArray());
    }

    static void run(List<String> argv, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + argv);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + ": " + argv);
    }
}
