package ai.netsky.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 8 figure: what a Claude Code turn waits for per status hook — the wall time of
 * {@code netsky hooks emit Stop} fed a hook payload on stdin (Claude Code runs hooks synchronously),
 * against {@code netsky --version} and a bare-JVM hello world in the same run, with and without the
 * cli_invocations record. Usage: bench/run HooksBench [runs]
 */
public final class HooksBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path home = Files.createTempDirectory("netsky-hooks-bench-");
        Path repo = Path.of(System.getProperty("netsky.repo", "."));
        String netsky = repo.resolve("bin/netsky").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "NETSKY_DIR", home.resolve("root").toString(), "AGENT_N", "1"));
        byte[] payload = ("{\"session_id\":\"bench\",\"transcript_path\":\"/tmp/x.jsonl\",\"cwd\":\"" + home
                + "\",\"hook_event_name\":\"Stop\",\"stop_hook_active\":false}").getBytes(StandardCharsets.UTF_8);
        run(List.of(netsky, "--version"), env, null); // built, AOT cache trained
        run(List.of(netsky, "hooks", "emit", "Stop"), env, payload);
        Stats hello = time(runs, List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Hello.class.getName()), env, null);
        Stats version = time(runs, List.of(netsky, "--version"), env, null);
        Stats emit = time(runs, List.of(netsky, "hooks", "emit", "Stop"), env, payload);
        Map<String, String> off = new HashMap<>(env);
        off.put("NETSKY_NO_META_DB", "1");
        Stats emitNoDb = time(runs, List.of(netsky, "hooks", "emit", "Stop"), off, payload);
        if (!Files.readString(home.resolve(".netsky/state/agent1-hook-status.json")).contains("\"Stop\"")) throw new IllegalStateException("emit recorded nothing");
        System.out.println("bare-JVM hello world:                       " + hello);
        System.out.println("netsky --version:                           " + version);
        System.out.println("netsky hooks emit Stop (payload on stdin):  " + emit);
        System.out.println("  same, NETSKY_NO_META_DB=1:                " + emitNoDb);
        System.out.printf("ratios vs hello p50: --version %.2fx, emit %.2fx, emit without meta.db %.2fx; emit vs --version %.2fx%n",
                version.medianMs() / hello.medianMs(), emit.medianMs() / hello.medianMs(), emitNoDb.medianMs() / hello.medianMs(),
                emit.medianMs() / version.medianMs());
    }

    static Stats time(int runs, List<String> argv, Map<String, String> env, byte[] stdin) throws Exception {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            run(argv, env, stdin);
            samples.add(System.nanoTime() - t);
        }
        return Stats.of(samples.stream().mapToLong(Long::longValue).toArray());
    }

    /** Like Claude Code: the payload is written and stdin closed at once, so emit never waits for input. */
    static void run(List<String> argv, Map<String, String> env, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        }
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + argv);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + ": " + argv);
    }
}
