package ai.netsky.tmux;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.NetskyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Thin, bounded wrappers over the {@code tmux} binary (netsky-sh). Works against whatever server the
 * environment selects (the default one for users; tests isolate with {@code TMUX_TMPDIR}). Every call
 * has a timeout and a failure carries tmux's stderr. User text only ever reaches tmux as a literal
 * argv element ({@code send-keys -l}) or through a paste buffer fed on stdin — never interpolated.
 */
public final class Tmux implements SessionOps {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String binary;
    private final Map<String, String> env;

    /** Talks to the tmux server this JVM's environment selects. */
    public Tmux() {
        this(null);
    }

    /**
     * Talks to the server {@code env} selects (TMUX_TMPDIR, TMUX): netsky passes its effective
     * environment so an isolated test, or ~/.env, reaches the right server.
     */
    public Tmux(Map<String, String> env) {
        this.binary = "tmux";
        this.env = env;
    }

    /** tmux session names netsky creates or targets: no dots/colons (tmux target syntax), no spaces. */
    public static String validateSessionName(String name) {
        if (name == null || !SESSION_NAME.matcher(name).matches()) {
            throw new NetskyException("invalid tmux session name '" + name + "': use letters, digits, '-' or '_' (e.g. agent3)");
        }
        return name;
    }

    private BoundedProcess.Result tmux(byte[] stdin, String... args) {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(binary);
        argv.addAll(Arrays.asList(args));
        try {
            return BoundedProcess.run(argv, TIMEOUT, env, null, stdin);
        } catch (NetskyException e) {
            if (e.getMessage().startsWith("cannot run")) {
                throw new NetskyException("tmux is not installed: install it (apt-get install tmux / brew install tmux) and retry", e);
            }
            throw e;
        }
    }

    private String ok(String... args) {
        return tmux(null, args).stdoutOrThrow();
    }

    /** Exact-match target for a session's active pane. */
    private static String target(String session) {
        return "=" + validateSessionName(session) + ":";
    }

    @Override
    public List<String> listSessions() {
        var r = tmux(null, "list-sessions", "-F", "#{session_name}");
        if (!r.ok()) {
            String err = r.stderr();
            if (err.contains("no server running") || err.contains("error connecting") || err.contains("No such file")) return List.of();
            throw new NetskyException("`tmux list-sessions` failed: " + err.strip());
        }
        return r.stdout().lines().filter(s -> !s.isBlank()).toList();
    }

    @Override
    public boolean hasSession(String name) {
        return tmux(null, "has-session", "-t", "=" + validateSessionName(name)).ok();
    }

    @Override
    public void killSession(String name) {
        var r = tmux(null, "kill-session", "-t", "=" + validateSessionName(name));
        if (!r.ok() && hasSession(name)) {
            throw new NetskyException("cannot kill tmux session '" + name + "': " + r.stderr().strip());
        }
    }

    /**
     * {@code new-session -d -s NAME -c CWD -e K=V … CMD} and, in the same command queue (so a command
     * that exits at once cannot slip past it), {@code remain-on-exit on} so a dead agent leaves its last
     * screen and exit status for forensics. Returns false when the session already existed.
     */
    public boolean newSession(String name, Path cwd, Map<String, String> env, String shellCommand) {
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", validateSessionName(name), "-x", "220", "-y", "50", "-c", cwd.toString()));
        env.forEach((k, v) -> {
            args.add("-e");
            args.add(k + "=" + v);
        });
        args.add(shellCommand);
        args.addAll(List.of(";", "set-option", "-w", "-t", "=" + name + ":", "remain-on-exit", "on"));
        var r = tmux(null, args.toArray(String[]::new));
        if (!r.ok()) {
            if (r.stderr().contains("duplicate session")) return false;
            throw new NetskyException("cannot start tmux session '" + name + "': " + r.stderr().strip());
        }
        return true;
    }

    /** Types {@code text} literally (no key-name lookup), then nothing else. */
    public void sendLiteral(String session, String text) {
        ok("send-keys", "-t", target(session), "-l", "--", text);
    }

    /** Sends named keys such as {@code Enter}, {@code Escape}, {@code Down}. */
    public void sendKeys(String session, String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", target(session)));
        args.addAll(Arrays.asList(keys));
        ok(args.toArray(String[]::new));
    }

    /** Pastes long text through a private buffer fed on stdin (bracketed paste when the app asked for it). */
    public void paste(String session, String text) {
        String buffer = "netsky-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        var load = tmux(text.getBytes(StandardCharsets.UTF_8), "load-buffer", "-b", buffer, "-");
        if (!load.ok()) throw new NetskyException("cannot load tmux paste buffer: " + load.stderr().strip());
        ok("paste-buffer", "-d", "-p", "-b", buffer, "-t", target(session));
    }

    /** The visible pane text (joined wrapped lines). */
    public String capturePane(String session) {
        return ok("capture-pane", "-p", "-J", "-t", target(session));
    }

    /**
     * The pane text including up to {@code historyLines} of scrollback: a dead pane's last output
     * scrolls off the visible screen when tmux prints "Pane is dead", so forensics need the history.
     */
    public String captureWithHistory(String session, int historyLines) {
        return ok("capture-pane", "-p", "-J", "-S", "-" + historyLines, "-t", target(session));
    }

    /** Pane liveness: dead flag and exit status (when dead), from one tmux call. */
    public record PaneState(boolean dead, int exitStatus, long pid, String currentCommand) {}

    public PaneState paneState(String session) {
        String line = ok("display-message", "-p", "-t", target(session), "#{pane_dead}|#{pane_dead_status}|#{pane_pid}|#{pane_current_command}").strip();
        String[] f = line.split("\\|", -1);
        return new PaneState("1".equals(f[0]), parseInt(f[1]), parseInt(f[2]), f.length > 3 ? f[3] : "");
    }

    /**
     * Every session's first-pane liveness in one tmux call ({@code true} = dead pane kept by
     * remain-on-exit); cheap enough to scan every second. Empty when no server runs.
     */
    public Map<String, Boolean> paneDeadBySession() {
        var r = tmux(null, "list-panes", "-a", "-F", "#{session_name}|#{pane_dead}");
        if (!r.ok()) return Map.of();
        var out = new java.util.LinkedHashMap<String, Boolean>();
        r.stdout().lines().map(l -> l.split("\\|", -1)).filter(f -> f.length == 2)
                .forEach(f -> out.putIfAbsent(f[0], "1".equals(f[1])));
        return out;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Sets a session option, e.g. a hook. */
    public void setOption(String session, String option, String value) {
        ok("set-option", "-t", "=" + validateSessionName(session), option, value);
    }

    /** Runs arbitrary tmux args (bounded); for hooks and the rare call not wrapped above. */
    public BoundedProcess.Result raw(String... args) {
        return tmux(null, args);
    }

    /** True when a tmux binary answers {@code -V}. */
    public boolean available() {
        try {
            return tmux(null, "-V").ok();
        } catch (NetskyException e) {
            return false;
        }
    }
}
