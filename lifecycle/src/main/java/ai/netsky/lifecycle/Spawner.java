package ai.netsky.lifecycle;

import ai.netsky.core.AgentId;
import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.lifecycle.AgentRuntime.StartupReport;
import ai.netsky.tmux.Tmux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * netsky's {@code spawn}: render the role prompt to {@code state/prompts/<session>.md}, write the
 * per-agent MCP config and the runtime file, clear the ready marker, let the runtime pre-seed, and
 * start the tmux session detached in the netsky root (never the shell's cwd) with {@code AGENT_N},
 * {@code NETSKY_PROMPT_FILE} and the runtime's environment. Idempotent: a live session is left alone.
 * {@link #awaitReady} then watches the pane and, once ready, writes {@code state/<agent>-ready}.
 */
public final class Spawner {
    private final NetskyPaths paths;
    private final Tmux tmux;
    private final Map<String, String> env;
    private final Path root;
    private final String netskyBin;
    private final Config config;
    private final Map<String, String> paneEnvBase;

    /**
     * @param paneEnvBase the environment every pane gets explicitly with {@code -e} (a running tmux
     *     server hands new sessions its own, possibly stale, environment); the CLI's {@code paneEnv()}
     */
    public Spawner(NetskyPaths paths, Tmux tmux, Map<String, String> env, Path root, String netskyBin, Config config, Map<String, String> paneEnvBase) {
        this.paneEnvBase = paneEnvBase;
        this.paths = paths;
        this.tmux = tmux;
        this.env = env;
        this.root = root;
        this.netskyBin = netskyBin;
        this.config = config;
    }

    /** What {@link #spawn} did. */
    public sealed interface Outcome permits Spawned, AlreadyUp {
        AgentId agent();
    }

    public record Spawned(AgentId agent, AgentRuntime runtime, SpawnRequest request) implements Outcome {}

    /** {@code race} = the session appeared between the check and tmux new-session. */
    public record AlreadyUp(AgentId agent, boolean race) implements Outcome {}

    /** netsky's {@code is_up}: the tmux session is present and its pane alive. */
    public boolean isUp(AgentId agent) {
        if (!tmux.hasSession(agent.name())) return false;
        try {
            return !tmux.paneState(agent.name()).dead();
        } catch (NetskyException vanished) {
            return false;
        }
    }

    /**
     * The runtime for an agent: the flag, else (when {@code preferRecorded}) the one recorded in
     * {@code state/<agent>-runtime} — so the watchdog's revive keeps a stub constellation stub — else
     * {@code netsky.runtime} / {@code AGENT_RUNTIME} (default claude).
     */
    public RuntimeKind runtimeFor(AgentId agent, RuntimeKind flag, boolean preferRecorded) {
        if (flag != null) return flag;
        if (preferRecorded) {
            Optional<RuntimeKind> recorded = recordedRuntime(agent);
            if (recorded.isPresent()) return recorded.get();
        }
        return RuntimeKind.parse(config.string(ConfigKey.RUNTIME, null));
    }

    public Optional<RuntimeKind> recordedRuntime(AgentId agent) {
        try {
            return Optional.of(RuntimeKind.parse(Files.readString(runtimeFile(agent)).strip()));
        } catch (IOException | NetskyException absentOrJunk) {
            return Optional.empty();
        }
    }

    public Path runtimeFile(AgentId agent) {
        return paths.agentStateFile(agent, "runtime");
    }

    public Path readyMarker(AgentId agent) {
        return paths.agentStateFile(agent, "ready");
    }

    public SpawnRequest request(AgentId agent) {
        return new SpawnRequest(agent, paths, root, paths.promptsDir().resolve(agent.name() + ".md"),
                paths.mcpConfigDir().resolve(agent.name() + ".json"), netskyBin, env);
    }

    public Outcome spawn(AgentId agent, RuntimeKind kind) {
        Tmux.validateSessionName(agent.name());
        if (isUp(agent)) return new AlreadyUp(agent, false);
        if (tmux.hasSession(agent.name())) tmux.killSession(agent.name()); // a dead pane kept for forensics is replaced
        AgentRuntime runtime = kind.create(config);
        SpawnRequest req = request(agent);
        paths.ensureDir(paths.stateDir());
        paths.ensureDir(paths.promptsDir());
        paths.ensureDir(paths.mcpConfigDir());
        paths.ensureDir(paths.inbox(agent));
        if (!Files.isDirectory(root)) {
            throw new NetskyException("the netsky root " + root + " does not exist; run `netsky init` (or set NETSKY_DIR)");
        }
        String owner = config.string(ConfigKey.OWNER_NAME).orElse("owner");
        writeAtomically(req.promptFile(), Prompts.render(Prompts.templateFor(agent), Prompts.valuesFor(agent, root.toString(), owner)));
        writeAtomically(req.mcpConfig(), McpConfig.toJson(McpConfig.serversFor(agent, netskyBin, env)));
        writeAtomically(runtimeFile(agent), runtime.name() + "\n");
        try {
            Files.deleteIfExists(readyMarker(agent));
            Files.deleteIfExists(paths.agentStateFile(agent, "channel-push"));
        } catch (IOException e) {
            throw new NetskyException("cannot clear the ready marker of " + agent + ": " + e.getMessage(), e);
        }
        runtime.prepare(req);
        Map<String, String> paneEnv = new LinkedHashMap<>(paneEnvBase);
        paneEnv.put(Names.ENV_NETSKY_BIN, netskyBin);
        paneEnv.put(Names.ENV_NETSKY_DIR, root.toString());
        paneEnv.put(Names.ENV_AGENT_N, Prompts.agentN(agent));
        paneEnv.put(Names.ENV_PROMPT_FILE, req.promptFile().toString());
        paneEnv.putAll(runtime.paneEnv(req));
        if (!tmux.newSession(agent.name(), root, paneEnv, runtime.paneCommand(req))) return new AlreadyUp(agent, true);
        return new Spawned(agent, runtime, req);
    }

    /** Watches a spawned agent until ready; on success the ready marker exists. */
    public StartupReport awaitReady(Spawned s, Duration timeout) {
        StartupReport r = s.runtime().awaitReady(tmux, s.request(), timeout);
        if (r.ready() && !s.runtime().signalsReadyItself()) touch(readyMarker(s.agent()));
        return r;
    }

    /**
     * For an agent that was already up: waits (bounded) for its ready marker, since another netsky
     * may still be bringing it up; reports a pane that died meanwhile.
     */
    public StartupReport awaitMarker(AgentId agent, Duration timeout) {
        return PaneWatcher.watch(tmux, agent.name(), "agent", timeout, List.of(), screen -> Files.exists(readyMarker(agent)));
    }

    static void touch(Path p) {
        try {
            Files.writeString(p, ai.netsky.core.Timestamps.rfc3339Now() + "\n");
        } catch (IOException e) {
            throw new NetskyException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomically(Path file, String text) {
        NetskyPaths.assertNoSymlinkUnder(file.getParent(), file);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NetskyException("cannot write " + file + ": " + e.getMessage() + "; check permissions", e);
        }
    }
}
