package ai.netsky.cli;

import ai.netsky.core.AgentId;
import ai.netsky.core.Config;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs against: the effective environment (process env + {@code ~/.env}), stdio, and
 * lazily the paths and config derived from it. Commands never read {@code System.getenv} directly, so
 * tests run the whole CLI in-process with an isolated HOME.
 */
public final class CliContext {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private NetskyPaths paths;
    private Config config;
    private Observability observability;

    public CliContext(Map<String, String> env, PrintStream out, PrintStream err, InputStream in) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public Map<String, String> env() { return env; }
    public PrintStream out() { return out; }
    public PrintStream err() { return err; }
    public InputStream in() { return in; }

    public NetskyPaths paths() {
        if (paths == null) paths = NetskyPaths.fromEnv(env);
        return paths;
    }

    public Config config() {
        if (config == null) config = Config.load(env);
        return config;
    }

    /** tmux bound to this context's environment (its TMUX_TMPDIR selects the server). */
    public ai.netsky.tmux.Tmux tmux() {
        return new ai.netsky.tmux.Tmux(env);
    }

    /** Best-effort event recording into meta.db for this run (one connection, closed by Main). */
    Observability observability() {
        if (observability == null) observability = new Observability(this);
        return observability;
    }

    /** Records an event in meta.db; never throws (see {@link Observability}). */
    public void record(ai.netsky.store.Event event) {
        observability().record(event);
    }

    void closeObservability() {
        if (observability != null) observability.close();
        observability = null;
    }

    public Path netskyRoot() {
        return NetskyPaths.netskyRoot(env);
    }

    /** The caller's own agent id: from {@code AGENT_N} (a number, {@code infinity}, or a full id), else agent0. */
    public AgentId self() {
        String n = env.get(ai.netsky.core.Names.ENV_AGENT_N);
        if (n == null || n.isBlank()) return AgentId.AGENT0;
        n = n.strip();
        if (n.chars().allMatch(Character::isDigit)) return AgentId.fromNumber(Integer.parseInt(n));
        if (n.equals("infinity")) return AgentId.AGENTINFINITY;
        if (AgentId.isValid(n)) return AgentId.of(n);
        throw new NetskyException("AGENT_N='" + n + "' is not an agent number or id; unset it or set e.g. AGENT_N=3");
    }

    /**
     * The environment a tmux pane netsky starts must carry. A running tmux server gives new sessions
     * its own (possibly stale) global environment, not the client's, so everything netsky and the
     * agent CLIs read is passed explicitly with {@code -e}.
     */
    public Map<String, String> paneEnv() {
        var out = new java.util.TreeMap<String, String>();
        env.forEach((k, v) -> {
            boolean keep = PANE_ENV_KEYS.contains(k) || k.startsWith("NETSKY_") || k.startsWith("ANTHROPIC_") || k.startsWith("OPENAI_")
                    || (k.startsWith("AGENT_") && !k.equals(ai.netsky.core.Names.ENV_AGENT_N));
            if (keep) out.put(k, v);
        });
        out.put(ai.netsky.core.Names.ENV_NETSKY_BIN, netskyBin());
        return out;
    }

    private static final java.util.Set<String> PANE_ENV_KEYS = java.util.Set.of("HOME", "PATH", "JAVA_HOME", "TMUX_TMPDIR", "LANG", "LC_ALL",
            "IS_SANDBOX", "CODEX_HOME", "CLAUDE_CONFIG_DIR");

    /** The absolute command that runs this netsky (for tmux panes and MCP configs). */
    public String netskyBin() {
        String bin = env.get(ai.netsky.core.Names.ENV_NETSKY_BIN);
        if (bin != null && !bin.isBlank()) return bin;
        return "netsky";
    }
}
