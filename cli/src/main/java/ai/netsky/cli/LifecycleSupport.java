package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.AgentRuntime.StartupReport;
import ai.netsky.lifecycle.RuntimeKind;
import ai.netsky.lifecycle.Spawner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What up / agent / agentinfinity share: the spawner bound to the context, and the bounded readiness wait. */
final class LifecycleSupport {
    private LifecycleSupport() {}

    static Spawner spawner(CliContext ctx) {
        return new Spawner(ctx.paths(), ctx.tmux(), ctx.env(), ctx.netskyRoot(), ctx.netskyBin(), ctx.config(), ctx.paneEnv());
    }

    static RuntimeKind kind(String flag) {
        return flag == null ? null : RuntimeKind.parse(flag);
    }

    static void requireTmux(CliContext ctx) {
        if (!ctx.tmux().available()) throw new NetskyException("tmux is not installed; install it (apt-get install tmux / brew install tmux) and retry");
    }

    static Duration readyTimeout(CliContext ctx) {
        return Duration.ofSeconds(Math.max(1, ctx.config().integer(ConfigKey.READY_TIMEOUT_S, null)));
    }

    /**
     * Waits, concurrently and within one deadline, until every outcome's agent is ready; progress
     * goes to stderr. Throws naming every agent that is not ready, with what blocked it and its last
     * screen (the pane is kept by remain-on-exit for {@code tmux attach}).
     */
    static void awaitReady(CliContext ctx, String cmd, Spawner spawner, List<Spawner.Outcome> outcomes, Duration timeout) {
        if (outcomes.isEmpty()) return;
        long t0 = System.nanoTime();
        List<String> names = outcomes.stream().map(o -> o.agent().name()).toList();
        progress(ctx, cmd, "waiting up to " + timeout.toSeconds() + "s for " + String.join(", ", names) + " to be ready");
        Map<AgentId, StartupReport> reports = new ConcurrentHashMap<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (Spawner.Outcome o : outcomes) {
                fs.add(pool.submit(() -> {
                    StartupReport r = switch (o) {
                        case Spawner.Spawned s -> spawner.awaitReady(s, timeout);
                        case Spawner.AlreadyUp a -> spawner.awaitMarker(a.agent(), timeout);
                    };
                    reports.put(o.agent(), r);
                    String secs = String.format("%.1fs", (System.nanoTime() - t0) / 1e9);
                    progress(ctx, cmd, r.ready() ? o.agent() + " ready (" + secs + ", " + r.detail() + ")" : o.agent() + " NOT ready (" + secs + ")");
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new NetskyException("readiness wait failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new NetskyException("interrupted while waiting for agents to be ready");
                }
            }
        }
        StringBuilder failed = new StringBuilder();
        for (Spawner.Outcome o : outcomes) {
            StartupReport r = reports.get(o.agent());
            if (r.ready()) continue;
            failed.append("\n  ").append(o.agent()).append(": ").append(r.detail());
            if (!r.lastScreen().isBlank()) {
                failed.append("\n    its last screen:");
                // Blank runs collapsed: a short pane is mostly empty rows.
                r.lastScreen().strip().replaceAll("\n(\\s*\n)+", "\n").lines().forEach(l -> failed.append("\n    | ").append(l));
            }
        }
        if (!failed.isEmpty()) {
            throw new NetskyException("not every agent became ready:" + failed
                    + "\n  fix what blocked it, then retry; the pane is kept for forensics: `tmux attach -t <agent>`");
        }
        progress(ctx, cmd, "ready: " + String.join(", ", names) + String.format(" in %.1fs", (System.nanoTime() - t0) / 1e9));
    }

    static void progress(CliContext ctx, String cmd, String message) {
        synchronized (ctx.err()) {
            Ui.line(ctx.err(), cmd, message);
        }
    }
}
