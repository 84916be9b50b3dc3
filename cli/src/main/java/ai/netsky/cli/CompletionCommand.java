package ai.netsky.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code netsky completion bash|zsh}: prints a completion script for the whole command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script.",
                "bash: eval \"$(netsky completion bash)\"   zsh: eval \"$(netsky completion zsh)\""})
public final class CompletionCommand implements Runnable {
    enum Shell { bash, zsh }

    @Parameters(index = "0", description = "Shell: ${COMPLETION-CANDIDATES}")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        String script = AutoComplete.bash("netsky", spec.root().commandLine());
        var out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            // picocli's script is bash-completion based; zsh runs it through bashcompinit.
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(script);
        out.flush();
    }
}
