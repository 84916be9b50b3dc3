package ai.netsky.cli;

import ai.netsky.lifecycle.WorkspaceInit;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code netsky init [--update] [--path <dir>]}: bootstrap the netsky root from the bundled files. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write the bundled workspace files (.mcp.json, AGENTS.md, CLAUDE.md, agent settings, prompts, skills) into the netsky root.",
                "Existing files are kept unless --update; --update never overwrites the agent settings (.claude/settings.json)."})
public final class InitCommand implements Runnable {
    private final CliContext ctx;

    InitCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--update", description = "Overwrite bundled files that already exist (except .claude/settings.json).")
    boolean update;

    @Option(names = "--path", paramLabel = "<dir>", description = "Root to initialise (default $NETSKY_DIR, else ~/netsky).")
    Path path;

    @Override
    public void run() {
        Path root = path != null ? path.toAbsolutePath().normalize() : ctx.netskyRoot();
        WorkspaceInit.run(root, update, ctx.out(), Map.of("netsky_bin", ctx.netskyBin()));
    }
}
