package ai.netsky.lifecycle;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.PaneWatcher.Dialog;
import ai.netsky.tmux.Tmux;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Codex REPL in the pane (spec core.md "Runtimes"): sandbox {@code danger-full-access},
 * approvals {@code never}, model {@code AGENT_CODEX_MODEL} (default gpt-5.4), the same per-agent MCP
 * servers passed as {@code -c mcp_servers.*} overrides (so the user's {@code ~/.codex/config.toml} is
 * never edited for netsky), its channel directory in {@code CODEX_CHANNEL_DIR}, and the rendered
 * prompt as the first message. Its folder-trust dialog is answered from {@code capture-pane}.
 */
public final class CodexRuntime implements AgentRuntime {
    static final List<Dialog> DIALOGS = List.of(
            Dialog.blocker("the sign-in screen", "Codex wants a login; run `codex login`, or configure a model provider in ~/.codex/config.toml",
                    "Sign in with ChatGPT"),
            Dialog.answer("the folder-trust dialog", List.of("Enter"), "Trust this folder"),
            Dialog.answer("the folder-trust dialog", List.of("Enter"), "Do you trust"));

    private final Config config;

    public CodexRuntime(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "codex";
    }

    @Override
    public String describe() {
        return "codex (model " + model() + ", channels: agent)";
    }

    private String model() {
        return config.string(ConfigKey.CODEX_MODEL).orElse("gpt-5.4");
    }

    static Path binary(Map<String, String> env) {
        return Sh.which("codex", env).orElseThrow(() -> new NetskyException(
                "codex (OpenAI Codex CLI) is not installed; install it: npm install -g @openai/codex (or use --type stub)"));
    }

    @Override
    public void prepare(SpawnRequest request) {
        binary(request.env());
    }

    /** A TOML basic string. */
    static String toml(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String paneCommand(SpawnRequest request) {
        StringBuilder c = new StringBuilder("exec ").append(Sh.quote(binary(request.env()).toString()));
        c.append(" -s danger-full-access -a never -m ").append(Sh.quote(model()));
        McpConfig.serversFor(request.agent(), request.netskyBin(), request.env()).forEach((name, s) -> {
            String prefix = "mcp_servers." + name + ".";
            c.append(" -c ").append(Sh.quote(prefix + "command=" + toml(s.command())));
            c.append(" -c ").append(Sh.quote(prefix + "args=[" + s.args().stream().map(CodexRuntime::toml).collect(Collectors.joining(",")) + "]"));
            c.append(" -c ").append(Sh.quote(prefix + "env={" + s.env().entrySet().stream()
                    .map(e -> e.getKey() + "=" + toml(e.getValue())).collect(Collectors.joining(",")) + "}"));
        });
        c.append(" \"$(cat \"$NETSKY_PROMPT_FILE\")\"");
        return c.toString();
    }

    @Override
    public Map<String, String> paneEnv(SpawnRequest request) {
        return Map.of(Names.ENV_CODEX_CHANNEL_DIR, request.paths().channelDir(request.agent()).toString());
    }

    /**
     * The composer with the session's status line. Codex 0.169 first paints a splash that already
     * shows the composer ("› Ask Codex…", "? for shortcuts") and only then its folder-trust dialog, so
     * the composer alone is not ready: the status line ("← for agents", "permissions:") comes with
     * the session itself.
     */
    static boolean atPrompt(String screen) {
        return screen.contains("›") && screen.contains("for shortcuts") && (screen.contains("for agents") || screen.contains("permissions:"));
    }

    @Override
    public StartupReport awaitReady(Tmux tmux, SpawnRequest request, Duration deadline) {
        return PaneWatcher.watch(tmux, request.agent().name(), "Codex", deadline, DIALOGS, CodexRuntime::atPrompt);
    }
}
