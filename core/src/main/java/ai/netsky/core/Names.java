package ai.netsky.core;

/** Well-known names shared by every part of netsky (spec: core.md "Agents", cli.md §5.1). */
public final class Names {
    private Names() {}

    public static final String VERSION = "0.1.7";
    public static final String AGENT0 = "agent0";
    public static final String AGENTINFINITY = "agentinfinity";
    public static final String CLONE_PREFIX = "agent";
    public static final String TICKER_SESSION = "netsky-ticker";

    public static final String ENV_AGENT_N = "AGENT_N";
    public static final String ENV_PROMPT_FILE = "NETSKY_PROMPT_FILE";
    public static final String ENV_CODEX_CHANNEL_DIR = "CODEX_CHANNEL_DIR";
    public static final String ENV_NETSKY_DIR = "NETSKY_DIR";
    public static final String ENV_NETSKY_BIN = "NETSKY_BIN";

    public static final String MCP_SERVER_AGENT = "agent";
    public static final String MCP_SERVER_IMESSAGE = "imessage";
}
