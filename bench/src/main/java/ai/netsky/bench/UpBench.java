package ai.netsky.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 3 figure: wall time of {@code netsky up N --type stub} until every agent is ready (the command
 * returns only then: each stub has started its agent channel MCP server, done the handshake and
 * touched its ready marker; the ticker has written its first heartbeat). Baseline in the same run:
 * {@code up 0} (agent0 + agentinfinity + ticker), so the ratio shows how start-up scales per agent.
 * Each run gets a fresh HOME, netsky root and tmux server. Usage: bench/run UpBench [N] [runs]
 */
public final class UpBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path netsky = Path.of(System.getProperty("netsky.repo", ".")).resolve("bin/netsky").toAbsolutePath();
        run(netsky, 0, 1); // warm-up: JVM caches, page cache
        Stats base = Stats.of(times(netsky, 0, runs));
        Stats up = Stats.of(times(netsky, n, runs));
        System.out.println("up 0 --type stub (agent0 + agentinfinity + ticker): " + base);
        System.out.println("up " + n + " --type stub (" + (n + 2) + " agents + ticker): " + up);
        System.out.printf("ratio up %d / up 0 (p50): %.2fx; marginal cost per clone: %.0f ms%n",
                n, up.medianMs() / base.medianMs(), (up.medianMs() - base.medianMs()) / Math.max(1, n));
    }

    static long[] times(Path netsky, int n, int runs) throws Exception {
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) t[i] = run(netsky, n, 1);
        return t;
    }

    static long run(Path netsky, int n, int attempt) throws Exception {
        Path base = Files.createTempDirectory("netsky-upbench-");
        Path tmux = Files.createTempDirectory(Path.of("/tmp"), "nub-");
        Files.createDirectories(base.resolve("home"));
        Map<String, String> env = Map.of("HOME", base.resolve("home").toString(), "TMUX_TMPDIR", tmux.toString(),
                "NETSKY_DIR", base.resolve("root").toString(), "NETSKY_TMP", base.toString(), "NETSKY_NO_BUILD", "1");
        try {
            long t0 = System.nanoTime();
            int code = exec(env, netsky.toString(), "up", Integer.toString(n), "--type", "stub", "--no-attach");
            long dt = System.nanoTime() - t0;
            if (code != 0) throw new IllegalStateException("`netsky up " + n + " --type stub` exited " + code + " (see stderr above)");
            return dt;
        } finally {
            exec(env, "tmux", "kill-server");
            try (var w = Files.walk(base)) {
                w.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
            try (var w = Files.walk(tmux)) {
                w.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    static int exec(Map<String, String> env, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(argv)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", argv) + " did not finish within 300 s");
        }
        return p.exitValue();
    }
}
