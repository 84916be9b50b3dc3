package ai.netsky.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 9 figure: agent0 SIGKILLed → agent0 ready again (stub runtime, real tmux, real bin/netsky,
 * the ticker and hooks as `up` installs them), against the baseline of spawning agent0 directly
 * with `netsky agent 0` in the same run — the difference is what detection and repair add.
 * Usage: bench/run ReviveBench [runs]
 */
public final class ReviveBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path base = Files.createTempDirectory("netsky-revive-bench-");
        Path home = Files.createDirectories(base.resolve("home"));
        Path tmux = Files.createTempDirectory(Path.of("/tmp"), "nb-");
        String netsky = Path.of(System.getProperty("netsky.repo", ".")).resolve("bin/netsky").toString();
        Map<String, String> env = Map.of("HOME", home.toString(), "TMUX_TMPDIR", tmux.toString(), "NETSKY_DIR", home.resolve("netsky").toString(),
                "NETSKY_TMP", base.toString(), "NETSKY_BIN", netsky);
        Path ready = home.resolve(".netsky/state/agent0-ready");
        try {
            run(env, 180, netsky, "up", "0", "--type", "stub", "--no-attach");
            List<Long> revive = new ArrayList<>();
            List<Long> spawn = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long pid = Long.parseLong(run(env, 10, "tmux", "display-message", "-p", "-t", "=agent0:", "#{pane_pid}").strip());
                long t = System.nanoTime();
                long wall = System.currentTimeMillis();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                awaitReady(env, ready, pid, wall, 120);
                revive.add(System.nanoTime() - t);

                // Baseline: the same agent spawned directly, no watchdog in the loop (hooks off while we kill it).
                run(env, 10, netsky, "watchdog", "hooks", "--uninstall");
                run(env, 10, "tmux", "kill-session", "-t", "=netsky-ticker");
                run(env, 10, "tmux", "kill-session", "-t", "=agent0");
                long s = System.nanoTime();
                run(env, 120, netsky, "agent", "0");
                spawn.add(System.nanoTime() - s);
                run(env, 60, netsky, "tick", "ticker-start");
                Thread.sleep(1500); // let the new ticker's first beat pass, as in steady state
            }
            Stats r = Stats.of(revive.stream().mapToLong(Long::longValue).toArray());
            Stats b = Stats.of(spawn.stream().mapToLong(Long::longValue).toArray());
            System.out.println("agent0 SIGKILL -> ready again (watchdog): " + r);
            System.out.println("baseline `netsky agent 0` spawn -> ready:  " + b);
            System.out.printf("revive p50 / spawn p50 = %.2fx; detection + repair overhead p50 = %.0f ms (netsky 0.1.7 polls every 60 s)%n",
                    r.medianMs() / b.medianMs(), r.medianMs() - b.medianMs());
        } finally {
            // Take away what a late watchdog pass (a hook job in flight) would revive, then the server.
            for (String[] argv : new String[][] {{netsky, "watchdog", "hooks", "--uninstall"}, {"tmux", "kill-server"}}) {
                try {
                    if (argv[0].equals("tmux")) deleteTree(home.resolve(".netsky/state"));
                    run(env, 30, argv);
                } catch (IllegalStateException alreadyGone) {
                    // no server left
                }
            }
            deleteTree(base);
            deleteTree(tmux);
        }
    }

    static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException gone) {
            // already removed
        }
    }

    static void awaitReady(Map<String, String> env, Path ready, long oldPid, long killedAtMillis, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                String[] f = run(env, 10, "tmux", "display-message", "-p", "-t", "=agent0:", "#{pane_dead}|#{pane_pid}").strip().split("\\|", -1);
                if (f.length == 2 && f[0].equals("0") && Long.parseLong(f[1]) != oldPid && Files.exists(ready)
                        && Files.getLastModifiedTime(ready).toMillis() >= killedAtMillis - 1000) return;
            } catch (IllegalStateException | NumberFormatException notYet) {
                // session being replaced
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("agent0 not ready again within " + seconds + " s");
    }

    static String run(Map<String, String> env, int seconds, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        var out = new java.io.ByteArrayOutputStream();
        Thread pump = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (java.io.IOException ignored) {
                // process gone
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after " + seconds + " s: " + String.join(" ", argv));
        }
        pump.join();
        if (p.exitValue() != 0) throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", argv) + "\n" + out);
        return out.toString();
    }
}
