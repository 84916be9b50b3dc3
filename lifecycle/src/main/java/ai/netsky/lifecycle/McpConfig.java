package ai.netsky.lifecycle;

import ai.netsky.core.AgentId;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-agent MCP config (shared contract 1): {@code ~/.netsky/state/mcp/<session>.json} with
 * {@code {"mcpServers":{"agent":{"command":<NETSKY_BIN>,"args":["io","serve","--source","agent"],"env":{"AGENT_N":…}}}}}.
 * Claude Code reads it through {@code --mcp-config}, Codex through {@code -c mcp_servers.*}, the stub
 * agent directly — all start the same servers over stdio.
 */
public final class McpConfig {
    private McpConfig() {}

    /** One stdio MCP server entry. */
    public record Server(String command, List<String> args, Map<String, String> env) {}

    /** Environment keys copied from netsky's effective environment into every server's env, when set. */
    private static final List<String> PASSED_ENV = List.of("HOME", Names.ENV_NETSKY_DIR, "NETSKY_TMP", "NETSKY_DELIVERY", "NETSKY_NO_BUILD", "JAVA_HOME",
            // the agent channel nudges through tmux: it must reach the server the agent's pane lives on
            "TMUX_TMPDIR");

    /**
     * The one place a role's server list is decided. Every agent gets {@code agent} (the bus);
     * owner I/O sources ({@code imessage}, {@code email}, {@code calendar}) belong to agent0 and
     * agentinfinity only — clones have narrower access (spec io.md §3.1).
     */
    public static Map<String, Server> serversFor(AgentId agent, String netskyBin, Map<String, String> env) {
        Map<String, Server> servers = new LinkedHashMap<>();
        servers.put(Names.MCP_SERVER_AGENT, source("agent", agent, netskyBin, env));
        switch (agent.role()) {
            case ROOT, WATCHDOG -> {
                for (String name : ownerSources(env)) servers.put(name, ownerSource(name, agent, netskyBin, env));
            }
            case CLONE, OTHER -> {
                // Clones talk to agent0 over the bus only.
            }
        }
        return servers;
    }

    /** Extra environment the owner sources read (where their allowlists and chat.db are, the zone for calendar times). */
    private static final List<String> OWNER_ENV = List.of("XDG_CONFIG_HOME", "NETSKY_IO_CHAT_DB", "TZ");

    /**
     * The owner channels agent0 and agentinfinity get: {@code imessage} on macOS (it starts, and fails
     * closed without an allowlist) and elsewhere only when a chat.db is given ({@code NETSKY_IO_CHAT_DB},
     * e.g. a copied one) or netsky.toml configures {@code [channels.imessage]} — off macOS it could
     * neither read Messages nor send, and every server is one more JVM on the revive path;
     * {@code email} and {@code calendar} only when netsky.toml configures accounts / calendars.
     */
    static List<String> ownerSources(Map<String, String> env) {
        return ownerSources(env, System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac"));
    }

    static List<String> ownerSources(Map<String, String> env, boolean macos) {
        List<String> names = new java.util.ArrayList<>();
        boolean hasRoot = env.get(Names.ENV_NETSKY_DIR) != null || env.get("HOME") != null;
        ai.netsky.core.Config config = hasRoot ? ai.netsky.core.Config.load(env) : null;
        String chatDb = env.get("NETSKY_IO_CHAT_DB");
        if (macos || (chatDb != null && !chatDb.isBlank()) || (config != null && config.raw("channels.imessage").isPresent())) {
            names.add(Names.MCP_SERVER_IMESSAGE);
        }
        if (config == null) return names; // no netsky root to read netsky.toml from
        if (config.raw("channels.email.accounts").isPresent()) names.add("email");
        if (config.raw("channels.calendar.calendars").isPresent()) names.add("calendar");
        return names;
    }

    static Server ownerSource(String name, AgentId agent, String netskyBin, Map<String, String> env) {
        Server base = source(name, agent, netskyBin, env);
        Map<String, String> e = new LinkedHashMap<>(base.env());
        for (String k : OWNER_ENV) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) e.put(k, v);
        }
        return new Server(base.command(), base.args(), e);
    }

    /** {@code <netsky> io serve --source <name>} for this agent. */
    public static Server source(String name, AgentId agent, String netskyBin, Map<String, String> env) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put(Names.ENV_AGENT_N, Prompts.agentN(agent));
        for (String k : PASSED_ENV) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) e.put(k, v);
        }
        return new Server(netskyBin, List.of("io", "serve", "--source", name), e);
    }

    /** The JSON document Claude Code's {@code --mcp-config} accepts. */
    public static String toJson(Map<String, Server> servers) {
        Map<String, Object> doc = Map.of("mcpServers", servers);
        return EnvelopeCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
    }

    /** Reads a config written by {@link #toJson} (the stub agent does, as Claude Code would). */
    public static Map<String, Server> parse(String json) {
        var root = EnvelopeCodec.mapper().readTree(json).path("mcpServers");
        Map<String, Server> out = new LinkedHashMap<>();
        for (var e : root.properties()) {
            var s = e.getValue();
            List<String> args = new java.util.ArrayList<>();
            s.path("args").forEach(a -> args.add(a.asString()));
            Map<String, String> env = new LinkedHashMap<>();
            for (var v : s.path("env").properties()) env.put(v.getKey(), v.getValue().asString());
            out.put(e.getKey(), new Server(s.path("command").asString(), args, env));
        }
        return out;
    }
}
