package ai.netsky.lifecycle;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyPaths;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a runtime needs to start one agent: who, where (the netsky root, never the shell's
 * cwd), the rendered prompt file, the per-agent MCP config, the netsky binary to call back, and the
 * effective environment (tests isolate HOME/TMUX_TMPDIR through it).
 */
public record SpawnRequest(
        AgentId agent,
        NetskyPaths paths,
        Path netskyRoot,
        Path promptFile,
        Path mcpConfig,
        String netskyBin,
        Map<String, String> env) {}
