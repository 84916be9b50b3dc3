package ai.netsky.cli;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky test [suite|path]}: runs {@code tests/{unit,agent}/test-*.sh} (relative to the
 * current directory, or {@code --dir}) one by one with {@code bash}, printing
 * {@code "  <name padded to 50> pass|FAIL <secs>s"} and, for a failure, its output indented by four
 * spaces. As in netsky 0.2.0 each test gets its own {@code HOME}, {@code TMPDIR} and (our addition)
 * {@code TMUX_TMPDIR}, so a test can never touch your real state or tmux server.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run the shell test suites: tests/unit/test-*.sh and tests/agent/test-*.sh (or one suite, file or directory).",
                "Each test runs with bash in an isolated HOME/TMPDIR/TMUX_TMPDIR; exit 1 when any test fails."})
public final class TestCommand implements Callable<Integer> {
    static final List<String> SUITES = List.of("unit", "agent");

    private final CliContext ctx;

    TestCommand(CliContext ctx) { this.ctx = ctx; }

    @Parameters(index = "0", arity = "0..1", paramLabel = "<suite|path>",
            description = "unit, agent, or a test file or directory (default: both suites).")
    String scope;

    @Option(names = "--dir", paramLabel = "<dir>", description = "Where tests/ lives (default: the current directory).")
    Path dir;

    @Option(names = "--timeout", paramLabel = "<seconds>", defaultValue = "300", description = "Per-test deadline (default ${DEFAULT-VALUE}).")
    long timeoutS;

    @Option(names = "--no-isolate", description = "Run tests with your own HOME, TMPDIR and tmux server.")
    boolean noIsolate;

    @Option(names = "--json", description = "Print the JSON report instead of the progress lines.")
    boolean json;

    record Result(String name, Path file, boolean passed, double seconds, String output) {
        Map<String, Object> jsonMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("path", file.toString());
            m.put("status", passed ? "pass" : "fail");
            m.put("seconds", Math.round(seconds * 100) / 100.0);
            m.put("output", output);
            return m;
        }
    }

    @Override
    public Integer call() {
        if (timeoutS < 1) throw new NetskyException("--timeout must be >= 1 (got " + timeoutS + ")");
        Path base = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
        List<Path> files = select(base);
        if (files.isEmpty()) {
            if (json) ctx.out().println(JsonReport.render("test", "green", "no tests found", Map.of("tests", List.of())));
            else ctx.out().println("no tests found");
            return 0;
        }
        long t0 = System.nanoTime();
        List<Result> results = new ArrayList<>();
        for (Path f : files) {
            String name = name(base, f);
            if (!json) {
                ctx.out().print("  " + pad(name, 50) + " ");
                ctx.out().flush();
            }
            Result r = runOne(base, f, name);
            results.add(r);
            if (!json) {
                ctx.out().printf("%s %.2fs%n", r.passed() ? "pass" : "FAIL", r.seconds());
                if (!r.passed()) r.output().lines().forEach(l -> ctx.out().println("    " + l));
            }
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        String summary = (results.size() - failed) + " passed, " + failed + " failed in " + String.format("%.2fs", (System.nanoTime() - t0) / 1e9);
        if (json) {
            ctx.out().println(JsonReport.render("test", failed == 0 ? "green" : "red", summary, Map.of("tests", results.stream().map(Result::jsonMap).toList())));
        } else {
            ctx.out().println(summary);
        }
        return failed == 0 ? 0 : 1;
    }

    List<Path> select(Path base) {
        List<Path> roots = new ArrayList<>();
        if (scope == null) {
            for (String s : SUITES) roots.add(base.resolve("tests").resolve(s));
        } else if (SUITES.contains(scope)) {
            roots.add(base.resolve("tests").resolve(scope));
        } else {
            Path p = base.resolve(scope).normalize();
            if (!Files.exists(p)) {
                throw new NetskyException("no test suite or path '" + scope + "' under " + base + "; use unit, agent, or a path to a test file or directory");
            }
            if (Files.isRegularFile(p)) return List.of(p);
            roots.add(p);
        }
        List<Path> out = new ArrayList<>();
        for (Path r : roots) {
            if (!Files.isDirectory(r)) continue;
            try (Stream<Path> s = Files.walk(r)) {
                s.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches("test-.*\\.sh")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new NetskyException("cannot list tests in " + r + ": " + e.getMessage());
            }
        }
        return out;
    }

    private Result runOne(Path base, Path file, String name) {
        long start = System.nanoTime();
        Path scratch = null;
        try {
            Map<String, String> env = new HashMap<>(ctx.env());
            if (!noIsolate) {
                scratch = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "netsky-test-");
                env.put("HOME", Files.createDirectories(scratch.resolve("home")).toString());
                env.put("TMPDIR", Files.createDirectories(scratch.resolve("tmp")).toString());
                env.put("TMUX_TMPDIR", Files.createDirectories(scratch.resolve("tmux")).toString());
                env.remove("TMUX"); // not inside the caller's tmux session either
            }
            env.put("NETSKY_TEST_NAME", name);
            var r = BoundedProcess.run(List.of("bash", file.toString()), Duration.ofSeconds(timeoutS), env, base, null);
            String output = (r.stdout() + r.stderr()).stripTrailing();
            return new Result(name, file, r.ok(), (System.nanoTime() - start) / 1e9, r.ok() ? "" : output + "\n(exit " + r.exitCode() + ")");
        } catch (NetskyException | IOException e) {
            return new Result(name, file, false, (System.nanoTime() - start) / 1e9, e.getMessage());
        } finally {
            if (scratch != null) {
                stopTmuxServer(scratch.resolve("tmux"));
                NetskyFiles.deleteTree(scratch);
            }
        }
    }

    /** A test that started tmux left a server on its private socket: stop it before deleting the socket dir. */
    private void stopTmuxServer(Path tmuxTmp) {
        try (var s = Files.list(tmuxTmp)) {
            if (s.findAny().isEmpty()) return;
        } catch (IOException none) {
            return;
        }
        try {
            BoundedProcess.run(List.of("tmux", "kill-server"), Duration.ofSeconds(5), Map.of("TMUX_TMPDIR", tmuxTmp.toString(),
                    "PATH", ctx.env().getOrDefault("PATH", "/usr/bin:/bin")), null, null);
        } catch (NetskyException noTmux) {
            // No tmux binary: no server either.
        }
    }

    private static String name(Path base, Path f) {
        Path tests = base.resolve("tests");
        Path rel = f.startsWith(tests) ? tests.relativize(f) : f.startsWith(base) ? base.relativize(f) : f;
        return rel.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
