package ai.netsky.lifecycle;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.PaneWatcher.Dialog;
import ai.netsky.tmux.Tmux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claude Code in the pane (spec core.md "Runtimes"): the per-agent {@code --mcp-config} (strict, so
 * a project {@code .mcp.json} cannot add an approval dialog), the development-channels flag for its
 * channel servers, permissions bypassed for unattended work, the rendered prompt appended as system
 * prompt (read by the pane shell from {@code $NETSKY_PROMPT_FILE}: tmux argv has a size limit), and
 * the configured model. Dialogs that cannot be pre-seeded are answered from {@code capture-pane}.
 */
public final class ClaudeRuntime implements AgentRuntime {
    /** Shown by Claude Code when push channels are unavailable (API-key auth): delivery must nudge. */
    public static final String CHANNELS_UNAVAILABLE = "Channels are not currently available";
    public static final String TOS_TEXT = "I am using this for local development";

    static final List<Dialog> DIALOGS = List.of(
            Dialog.blocker("the login screen", "Claude Code wants a login; run `claude` once in a terminal and log in, or export ANTHROPIC_API_KEY",
                    "Select login method"),
            Dialog.blocker("onboarding", "Claude Code has not been set up; run `claude` once in a terminal, or export ANTHROPIC_API_KEY",
                    "Choose the text style"),
            Dialog.answer("the API-key confirmation", List.of("Up", "Enter"), "Detected a custom API key", "Do you want to use this API key?"),
            Dialog.answer("the bypass-permissions warning", List.of("Down", "Enter"), "Bypass Permissions mode", "Yes, I accept"),
            Dialog.answer("the workspace-trust dialog", List.of("Enter"), "Do you trust the files in this folder"),
            Dialog.answer("the development-channels notice", List.of("Enter"), TOS_TEXT));

    private final Config config;

    public ClaudeRuntime(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "claude";
    }

    @Override
    public String describe() {
        String model = config.string(ConfigKey.CLAUDE_MODEL).orElse("default");
        return "claude (model " + model + ", channels: agent)";
    }

    static Path binary(Map<String, String> env) {
        return Sh.which("claude", env).orElseThrow(() -> new NetskyException(
                "claude (Claude Code) is not installed; install it: npm install -g @anthropic-ai/claude-code (or use --type stub)"));
    }

    @Override
    public void prepare(SpawnRequest request) {
        binary(request.env());
        ClaudeSeed.seed(request.paths().home(), request.netskyRoot(), request.env().get("ANTHROPIC_API_KEY"));
    }

    @Override
    public String paneCommand(SpawnRequest request) {
        StringBuilder c = new StringBuilder("exec ").append(Sh.quote(binary(request.env()).toString()));
        c.append(" --mcp-config ").append(Sh.quote(request.mcpConfig().toString())).append(" --strict-mcp-config");
        c.append(" --dangerously-load-development-channels");
        for (String server : McpConfig.serversFor(request.agent(), request.netskyBin(), request.env()).keySet()) {
            c.append(" server:").append(server);
        }
        c.append(" --dangerously-skip-permissions");
        c.append(" --append-system-prompt \"$(cat \"$NETSKY_PROMPT_FILE\")\"");
        config.string(ConfigKey.CLAUDE_MODEL).ifPresent(m -> c.append(" --model ").append(Sh.quote(m)));
        return c.toString();
    }

    @Override
    public Map<String, String> paneEnv(SpawnRequest request) {
        Map<String, String> env = new LinkedHashMap<>();
        // Claude Code refuses --dangerously-skip-permissions as root unless it is told it is sandboxed.
        if ("root".equals(System.getProperty("user.name"))) env.put("IS_SANDBOX", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        return env;
    }

    static boolean atPrompt(String screen) {
        return screen.contains("❯") && (screen.contains("bypass permissions on") || screen.contains("for shortcuts"));
    }

    @Override
    public StartupReport awaitReady(Tmux tmux, SpawnRequest request, Duration deadline) {
        StartupReport r = PaneWatcher.watch(tmux, request.agent().name(), "Claude Code", deadline, DIALOGS, ClaudeRuntime::atPrompt);
        if (r.ready()) {
            // Tells the channel server whether push works here or it must nudge (contract 4).
            String push;
            try {
                push = tmux.capturePane(request.agent().name()).contains(CHANNELS_UNAVAILABLE) ? "unavailable" : "available";
            } catch (NetskyException vanished) {
                push = "unknown";
            }
            try {
                Files.writeString(request.paths().agentStateFile(request.agent(), "channel-push"), push + "\n");
            } catch (IOException e) {
                throw new NetskyException("cannot record channel-push state for " + request.agent() + ": " + e.getMessage(), e);
            }
        }
        return r;
    }
}
