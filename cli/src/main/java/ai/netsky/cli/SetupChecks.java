package ai.netsky.cli;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.watchdog.OsTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first-run checks {@code setup} and {@code onboard} share: each says what it found and, when
 * something is missing, the exact command that fixes it. Read-only; {@link #fix} applies the fixes
 * netsky can make itself (state dir, {@code netsky init} of the root, hooks, OS timer), each idempotent.
 *
 * <p>What counts as a failure depends on the configured runtime: without Claude Code installed and
 * logged in, {@code netsky up} cannot start claude agents, but a {@code stub} constellation is fine.
 */
final class SetupChecks {
    enum Level { OK, WARN, FAIL }

    record Check(String name, Level level, String detail, String fix) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("status", level.name().toLowerCase());
            m.put("detail", detail);
            m.put("fix", fix);
            return m;
        }
    }

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern TMUX_VERSION = Pattern.compile("tmux (?:next-)?(\\d+)\\.?(\\d*)");

    private final CliContext ctx;

    SetupChecks(CliContext ctx) { this.ctx = ctx; }

    List<Check> run() {
        List<Check> out = new ArrayList<>();
        out.add(java());
        Config config;
        try {
            config = ctx.config();
            out.add(new Check("config", Level.OK, config.present() ? config.file() + " is valid" : config.file() + " absent: built-in defaults apply", null));
        } catch (NetskyException bad) {
            out.add(new Check("config", Level.FAIL, bad.getMessage(), "fix the line it names, or move the file aside (`netsky config path`)"));
            config = Config.load(ctx.netskyRoot().resolve(".netsky-setup-none.toml"), ctx.env());
        }
        String runtime = config.string(ConfigKey.RUNTIME, null);
        out.add(root());
        out.add(stateDir());
        out.add(tmux());
        out.add(agentCli("claude", "@anthropic-ai/claude-code", runtime.equals("claude")));
        out.add(claudeLogin(runtime.equals("claude")));
        out.add(agentCli("codex", "@openai/codex", runtime.equals("codex")));
        out.add(codexLogin(runtime.equals("codex")));
        out.add(owner(config));
        out.add(osTimer());
        out.add(hooks(runtime.equals("claude")));
        return out;
    }

    /** Applies what netsky can fix by itself; returns one line per action taken. */
    List<String> fix(List<Check> checks) {
        List<String> done = new ArrayList<>();
        for (Check c : checks) {
            if (c.level() == Level.OK) continue;
            switch (c.name()) {
                case "state_dir" -> {
                    ctx.paths().ensureDir(ctx.paths().stateDir());
                    ctx.paths().ensureDir(ctx.paths().logsDir());
                    done.add("created " + ctx.paths().netskyHome());
                }
                case "netsky_root" -> {
                    // `netsky init`: the workspace files agents need (and `.claude` → `.agents`), never clobbering edits.
                    var captured = new java.io.ByteArrayOutputStream();
                    int n = ai.netsky.lifecycle.WorkspaceInit.run(ctx.netskyRoot(), false, new java.io.PrintStream(captured, true),
                            Map.of("netsky_bin", ctx.netskyBin()));
                    done.add("netsky init: wrote " + n + " files to " + ctx.netskyRoot());
                }
                case "hooks" -> {
                    var h = new ClaudeHooks(ctx.netskyRoot(), ctx.netskyBin());
                    h.write(h.install(h.read()));
                    done.add("installed the Claude Code hooks in " + h.settingsFile());
                }
                case "os_timer" -> {
                    var t = timer();
                    t.install().lines().forEach(l -> done.add(t.name() + ": " + l));
                }
                default -> { }
            }
        }
        return done;
    }

    private Check java() {
        var v = Runtime.version();
        return new Check("java", Level.OK, "Java " + v + " (" + System.getProperty("java.home") + ")", null);
    }

    private Check root() {
        Path root = ctx.netskyRoot();
        if (!Files.isDirectory(root)) {
            return new Check("netsky_root", Level.WARN, root + " does not exist (agents work there)",
                    "netsky init   (or netsky setup --fix; set NETSKY_DIR to use another directory)");
        }
        if (!Files.isDirectory(root.resolve(".agents/skills"))) {
            return new Check("netsky_root", Level.WARN, root + " is not initialised (no .agents/skills; `netsky up` would run init)", "netsky init");
        }
        return new Check("netsky_root", Level.OK, root.toString(), null);
    }

    private Check stateDir() {
        Path home = ctx.paths().netskyHome();
        if (Files.isDirectory(home)) {
            return Files.isWritable(home) ? new Check("state_dir", Level.OK, home + " writable", null)
                    : new Check("state_dir", Level.FAIL, home + " is not writable", "chmod u+rwx " + home);
        }
        return new Check("state_dir", Level.WARN, home + " does not exist yet", "netsky setup --fix   (creates it with mode 0700)");
    }

    private Check tmux() {
        if (which("tmux").isEmpty()) {
            return new Check("tmux", Level.FAIL, "tmux not found on PATH (every agent lives in a tmux session)",
                    "sudo apt-get install tmux   (macOS: brew install tmux)");
        }
        var r = probe("tmux", "-V");
        String v = r == null ? "" : r.stdout().strip();
        Matcher m = TMUX_VERSION.matcher(v);
        if (m.find() && Integer.parseInt(m.group(1)) < 3) {
            return new Check("tmux", Level.FAIL, v + " is too old (netsky needs tmux >= 3)", "upgrade tmux: sudo apt-get install tmux (macOS: brew upgrade tmux)");
        }
        return new Check("tmux", Level.OK, v.isEmpty() ? "tmux on PATH" : v, null);
    }

    private Check agentCli(String name, String npmPackage, boolean required) {
        Level missing = required ? Level.FAIL : Level.WARN;
        String why = required ? " (the configured runtime)" : " (only needed for --type " + name + ")";
        if (which(name).isEmpty()) {
            return new Check(name, missing, name + " not found on PATH" + why, "npm install -g " + npmPackage);
        }
        var r = probe(name, "--version");
        if (r == null || !r.ok()) {
            return new Check(name, missing, name + " is on PATH but `" + name + " --version` failed" + (r == null ? "" : ": " + firstLine(r.stderr())),
                    "reinstall it: npm install -g " + npmPackage);
        }
        return new Check(name, Level.OK, name + " " + firstLine(r.stdout()), null);
    }

    private Check claudeLogin(boolean required) {
        Path home = ctx.paths().home();
        if (present("ANTHROPIC_API_KEY") || present("ANTHROPIC_AUTH_TOKEN")) {
            return new Check("claude_login", Level.OK, "API key in the environment (channel push needs a claude.ai login; netsky delivers by nudge)", null);
        }
        if (Files.isRegularFile(home.resolve(".claude/.credentials.json")) || claudeJsonHasAccount(home.resolve(".claude.json"))) {
            return new Check("claude_login", Level.OK, "claude.ai login found", null);
        }
        return new Check("claude_login", required ? Level.FAIL : Level.WARN, "Claude Code is not logged in (no login in ~/.claude, no ANTHROPIC_API_KEY)",
                "run `claude` once and log in with /login, or put ANTHROPIC_API_KEY=… in ~/.env");
    }

    private Check codexLogin(boolean required) {
        String codexHome = ctx.env().get("CODEX_HOME");
        Path dir = codexHome == null || codexHome.isBlank() ? ctx.paths().home().resolve(".codex") : Path.of(codexHome);
        if (present("OPENAI_API_KEY")) return new Check("codex_login", Level.OK, "OPENAI_API_KEY in the environment", null);
        if (Files.isRegularFile(dir.resolve("auth.json"))) return new Check("codex_login", Level.OK, "logged in (" + dir.resolve("auth.json") + ")", null);
        return new Check("codex_login", required ? Level.FAIL : Level.WARN, "Codex is not logged in (no " + dir.resolve("auth.json") + ", no OPENAI_API_KEY)",
                "codex login   (or put OPENAI_API_KEY=… in ~/.env)");
    }

    private Check owner(Config config) {
        List<String> ways = new ArrayList<>();
        for (ConfigKey k : List.of(ConfigKey.OWNER_IMESSAGE, ConfigKey.OWNER_EMAIL, ConfigKey.NOTIFY_COMMAND)) {
            config.string(k).ifPresent(v -> ways.add(k.key() + "=" + v));
        }
        if (ways.isEmpty()) {
            return new Check("owner", Level.WARN, "no owner handle: escalations (crash loops, hangs) cannot reach you",
                    "netsky onboard   (or netsky config set owner.imessage +15551234567 / owner.notify_command <program>)");
        }
        return new Check("owner", Level.OK, config.string(ConfigKey.OWNER_NAME, null) + " via " + String.join(", ", ways), null);
    }

    private OsTimer timer() {
        return OsTimer.forThisOs(ctx.paths().home(), ctx.netskyBin(), ctx.env());
    }

    private Check osTimer() {
        OsTimer t = timer();
        OsTimer.Report r;
        try {
            r = t.status();
        } catch (NetskyException unavailable) {
            r = new OsTimer.Report(t.files().stream().allMatch(Files::isRegularFile), false, List.of(unavailable.getMessage()));
        }
        if (r.installed() && r.active()) return new Check("os_timer", Level.OK, t.name() + " timer installed and active", null);
        if (r.installed()) {
            return new Check("os_timer", Level.WARN, t.name() + " timer installed but not active", "netsky launchd install   (reloads it; see `netsky launchd status`)");
        }
        return new Check("os_timer", Level.WARN, "no OS failsafe timer (" + t.name() + "): if the ticker dies, nothing revives agent0",
                "netsky launchd install");
    }

    private Check hooks(boolean claudeRuntime) {
        try {
            var h = new ClaudeHooks(ctx.netskyRoot(), ctx.netskyBin());
            var states = h.status(h.read());
            if (states.stream().allMatch(ClaudeHooks.EventState::ok)) return new Check("hooks", Level.OK, "Claude Code status hooks installed", null);
            long bad = states.stream().filter(s -> !s.ok()).count();
            return new Check("hooks", Level.WARN, bad + " of " + states.size() + " Claude Code status hooks missing or stale"
                    + (claudeRuntime ? "" : " (only used by claude agents)"), "netsky hooks install");
        } catch (NetskyException e) {
            return new Check("hooks", Level.WARN, e.getMessage(), "fix " + ctx.netskyRoot().resolve(".claude/settings.json") + ", then netsky hooks install");
        }
    }

    private boolean present(String var) {
        String v = ctx.env().get(var);
        return v != null && !v.isBlank();
    }

    private static boolean claudeJsonHasAccount(Path f) {
        try {
            return Files.isRegularFile(f) && Files.size(f) < (8 << 20) && Files.readString(f).contains("\"oauthAccount\"");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    Optional<Path> which(String cmd) {
        String path = ctx.env().get("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, cmd);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private BoundedProcess.Result probe(String... argv) {
        try {
            return BoundedProcess.run(List.of(argv), PROBE_TIMEOUT, ctx.env(), null, null);
        } catch (NetskyException e) {
            return null;
        }
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }

    static String summary(List<Check> checks) {
        long ok = checks.stream().filter(c -> c.level() == Level.OK).count();
        long warn = checks.stream().filter(c -> c.level() == Level.WARN).count();
        long fail = checks.stream().filter(c -> c.level() == Level.FAIL).count();
        return ok + " ok, " + warn + " warning(s), " + fail + " failure(s)";
    }

    static String status(List<Check> checks) {
        if (checks.stream().anyMatch(c -> c.level() == Level.FAIL)) return "red";
        return checks.stream().anyMatch(c -> c.level() == Level.WARN) ? "yellow" : "green";
    }

    static void print(CliContext ctx, String cmd, List<Check> checks) {
        for (Check c : checks) {
            String tag = switch (c.level()) { case OK -> "ok  "; case WARN -> "warn"; case FAIL -> "FAIL"; };
            Ui.line(ctx.out(), cmd, String.format("%s  %-12s %s", tag, c.name(), c.detail()));
            if (c.fix() != null) Ui.line(ctx.out(), cmd, String.format("      %-12s fix: %s", "", c.fix()));
        }
    }
}
