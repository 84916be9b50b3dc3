package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.HookStatus;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code netsky hooks install|uninstall|status} (and the hidden {@code hooks emit <event>} the hooks
 * call): Claude Code hooks for SessionStart, UserPromptSubmit, Stop and Notification in
 * {@code <netsky root>/.claude/settings.json}, each recording the agent's state in
 * {@code ~/.netsky/state/<agent>-hook-status.json} ({@link HookStatus}).
 */
@Command(name = "hooks", mixinStandardHelpOptions = true,
        description = {"Install, remove or inspect the Claude Code hooks netsky uses for status signals",
                "(SessionStart, UserPromptSubmit, Stop, Notification) in <netsky root>/.claude/settings.json."},
        subcommands = {HooksCommand.Install.class, HooksCommand.Uninstall.class, HooksCommand.Status.class, HooksCommand.Emit.class})
public final class HooksCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static class Base {
        final CliContext ctx;

        Base(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--bin", paramLabel = "<path>", description = "The netsky command the hooks run (default: $NETSKY_BIN, else netsky).")
        String bin;

        ClaudeHooks hooks() {
            return new ClaudeHooks(ctx.netskyRoot(), bin != null ? bin : ctx.netskyBin());
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Add netsky's hooks, keeping every other setting and hook (idempotent).")
    static final class Install extends Base implements Runnable {
        Install(CliContext ctx) { super(ctx); }

        public void run() {
            var h = hooks();
            var before = h.read();
            var after = h.install(before);
            if (after.equals(before)) {
                Ui.line(ctx.out(), "hooks", "already installed in " + h.settingsFile() + "; nothing changed");
                return;
            }
            h.write(after);
            for (var s : h.status(after)) Ui.line(ctx.out(), "hooks", s.event() + ": " + s.wanted());
            Ui.line(ctx.out(), "hooks", "installed in " + h.settingsFile());
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Remove netsky's hooks only; other settings and hooks stay (idempotent).")
    static final class Uninstall extends Base implements Runnable {
        Uninstall(CliContext ctx) { super(ctx); }

        public void run() {
            var h = hooks();
            if (!Files.exists(h.settingsFile())) {
                Ui.line(ctx.out(), "hooks", "no " + h.settingsFile() + "; nothing to remove");
                return;
            }
            var before = h.read();
            var after = h.uninstall(before);
            if (after.equals(before)) {
                Ui.line(ctx.out(), "hooks", "not installed in " + h.settingsFile() + "; nothing changed");
                return;
            }
            h.write(after);
            Ui.line(ctx.out(), "hooks", "removed netsky's hooks from " + h.settingsFile());
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show each hook (installed, stale, missing) and the last state each agent reported.",
                    "Exit 1 when any hook is missing or stale."})
    static final class Status extends Base implements Callable<Integer> {
        Status(CliContext ctx) { super(ctx); }

        @Option(names = "--json", description = "Print the JSON report.")
        boolean json;

        public Integer call() {
            var h = hooks();
            var states = h.status(h.read());
            List<HookStatus> agents = reported(ctx);
            boolean ok = states.stream().allMatch(ClaudeHooks.EventState::ok);
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("settings", h.settingsFile().toString());
                data.put("hooks", ClaudeHooks.json(states));
                data.put("agents", agents.stream().map(HookStatus::toJson).toList());
                ctx.out().println(JsonReport.render("hooks", ok ? "green" : "yellow",
                        states.stream().filter(ClaudeHooks.EventState::ok).count() + "/" + states.size() + " hooks installed", data));
                return ok ? 0 : 1;
            }
            Ui.line(ctx.out(), "hooks", "settings: " + h.settingsFile());
            for (var s : states) {
                Ui.line(ctx.out(), "hooks", String.format("%-16s %-9s %s", s.event(), s.state(),
                        s.ok() ? s.found() : s.found() == null ? "fix: netsky hooks install" : "has `" + s.found() + "`; fix: netsky hooks install"));
            }
            for (var a : agents) {
                Ui.line(ctx.out(), "hooks", String.format("%-14s %-8s after %s at %s%s", a.agent(), a.state(), a.event(), a.ts(),
                        a.message() == null ? "" : " — " + a.message()));
            }
            return ok ? 0 : 1;
        }
    }

    static List<HookStatus> reported(CliContext ctx) {
        List<HookStatus> out = new ArrayList<>();
        Path state = ctx.paths().stateDir();
        if (!Files.isDirectory(state)) return out;
        try (var files = Files.list(state)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-hook-status.json")).sorted()
                    .map(n -> n.substring(0, n.length() - "-hook-status.json".length()))
                    .filter(AgentId::isValid)
                    .forEach(n -> HookStatus.read(ctx.paths(), AgentId.of(n)).ifPresent(out::add));
        } catch (IOException ignored) {
            // An unreadable state dir shows as no reports; doctor names the permission problem.
        }
        return out;
    }

    /**
     * What each hook runs. It must never disturb the agent: it prints nothing on stdout (Claude Code
     * adds a SessionStart/UserPromptSubmit hook's stdout to the context), always exits 0 (exit 2 would
     * block the prompt), and reads its stdin JSON with a deadline. Without {@code AGENT_N} (a human's
     * own Claude Code session in the root) it records nothing.
     */
    @Command(name = "emit", hidden = true, mixinStandardHelpOptions = true,
            description = "Record a hook event for the calling agent (run by the Claude Code hooks).")
    static final class Emit implements Callable<Integer> {
        private final CliContext ctx;

        Emit(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<event>", description = "SessionStart, UserPromptSubmit, Stop or Notification.")
        String event;

        @Option(names = "--agent", paramLabel = "<id>", description = "Agent to record for (default: from AGENT_N).")
        String agent;

        public Integer call() {
            try {
                var e = HookStatus.Event.parse(event).orElseThrow(() -> new NetskyException("unknown hook event '" + event
                        + "'; expected SessionStart, UserPromptSubmit, Stop or Notification"));
                String n = ctx.env().get(Names.ENV_AGENT_N);
                if (agent == null && (n == null || n.isBlank())) return 0;
                AgentId who = agent != null ? AgentId.of(agent) : ctx.self();
                HookStatus.record(ctx.paths(), who, e, payload(), Instant.now());
            } catch (RuntimeException failed) {
                Ui.line(ctx.err(), "hooks", "warning: " + failed.getMessage());
            }
            return 0;
        }

        private JsonNode payload() {
            byte[] bytes = readBounded(ctx.in(), 1 << 20, 2000);
            if (bytes.length == 0) return null;
            try {
                return EnvelopeCodec.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
            } catch (RuntimeException notJson) {
                return null;
            }
        }
    }

    /** Reads at most {@code max} bytes, giving up after {@code millis} (a terminal never sends EOF). */
    static byte[] readBounded(InputStream in, int max, long millis) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        var f = CompletableFuture.runAsync(() -> {
            byte[] chunk = new byte[8192];
            try {
                int r;
                while (buf.size() < max && (r = in.read(chunk)) > 0) {
                    synchronized (buf) {
                        buf.write(chunk, 0, Math.min(r, max - buf.size()));
                    }
                }
            } catch (IOException closed) {
                // What arrived is used.
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception timedOut) {
            // Use what arrived so far.
        }
        synchronized (buf) {
            return buf.toByteArray();
        }
    }
}
