package ai.netsky.lifecycle;

import ai.netsky.tmux.Tmux;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The built-in scripted agent ({@code netsky stub-agent}, Java) so a constellation runs end to end with
 * no LLM account. It starts its MCP servers from its own config, as Claude Code would, and signals
 * readiness itself by touching {@code state/<agent>-ready} once booted.
 */
public final class StubRuntime implements AgentRuntime {
    @Override
    public String name() {
        return "stub";
    }

    @Override
    public String describe() {
        return "stub (built-in scripted agent, channels: agent)";
    }

    @Override
    public void prepare(SpawnRequest request) {
        // Nothing to pre-seed: the stub has no dialogs.
    }

    @Override
    public String paneCommand(SpawnRequest request) {
        return "exec " + Sh.quote(request.netskyBin()) + " stub-agent --mcp-config " + Sh.quote(request.mcpConfig().toString());
    }

    @Override
    public Map<String, String> paneEnv(SpawnRequest request) {
        return Map.of();
    }

    @Override
    public StartupReport awaitReady(Tmux tmux, SpawnRequest request, Duration deadline) {
        var marker = request.paths().agentStateFile(request.agent(), "ready");
        return PaneWatcher.watch(tmux, request.agent().name(), "the stub agent", deadline, List.of(), screen -> Files.exists(marker));
    }

    @Override
    public boolean signalsReadyItself() {
        return true;
    }
}
