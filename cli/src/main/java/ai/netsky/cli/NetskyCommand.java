package ai.netsky.cli;

import ai.netsky.core.Names;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root: no global options beyond help and version; bare {@code netsky} prints usage. */
@Command(name = "netsky",
        versionProvider = NetskyCommand.Version.class,
        mixinStandardHelpOptions = true,
        description = "The viable system launcher: keeps a constellation of AI coding agents alive in tmux.",
        subcommandsRepeatable = false,
        subcommands = {
                UpCommand.class,
                DownCommand.class,
                AgentCommand.class,
                AgentinfinityCommand.class,
                AgentinitCommand.class,
                AttachCommand.class,
                InitCommand.class,
                StubAgentCommand.class,
                ChannelCommand.class,
                IoCommand.class,
                CronCommand.class,
                EscalateCommand.class,
                LaunchdCommand.class,
                WatchdogCommand.class,
                TickCommand.class,
                QuietCommand.class,
                RestartCommand.class,
                DrillCommand.class,
                CompletionCommand.class,
                ConfigCommand.class,
                HooksCommand.class,
                SetupCommand.class,
                OnboardCommand.class,
                GatesCommand.class,
                NapCommand.class,
                TestCommand.class,
                TaskCommand.class,
                SessionCommand.class,
                QueryCommand.class,
                EventsCommand.class,
                WatchdogEventsCommand.class,
                AnalyticsCommand.class,
                IngestCommand.class,
                DoctorCommand.class,
                MorningCommand.class,
                StatusCommand.class,
                HandoffsCommand.class,
        })
public final class NetskyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"netsky " + Names.VERSION};
        }
    }
}
