package ai.netsky.cli;

import ai.netsky.core.Names;
import ai.netsky.core.NetskyException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;

/**
 * Process entry (spec cli.md §2.1): version fast path, {@code ~/.env} overlay, dispatch, exit codes
 * (0 ok, 1 command error printed as {@code error: …}, 2 usage error).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err, System.in);
        System.out.flush();
        if (code != 0) System.exit(code);
    }

    /**
     * Runs one command and then records it in meta.db's {@code cli_invocations} (argv, exit code,
     * duration), after the command and whatever its outcome; the recording never changes the code.
     */
    public static int run(String[] args, Map<String, String> processEnv, PrintStream out, PrintStream err, InputStream in) {
        long start = System.nanoTime();
        CliContext ctx = new CliContext(DotEnv.overlay(processEnv), out, err, in);
        int code;
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println("netsky " + Ui.bold(Names.VERSION));
            code = 0;
        } else if (HooksCommand.isHookFastPath(args)) {
            code = HooksCommand.emit(ctx, args[2], null);
        } else {
            code = commandLine(ctx).execute(args);
        }
        out.flush();
        try {
            ctx.observability().recordInvocation(args, code, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException noHome) {
            // Without HOME there is no meta.db; the command already reported what it needed to.
        } finally {
            ctx.closeObservability();
        }
        return code;
    }

    public static CommandLine commandLine(CliContext ctx) {
        CommandLine cl = new CommandLine(new NetskyCommand(), new ContextFactory(ctx));
        cl.setOut(new java.io.PrintWriter(ctx.out(), true));
        cl.setErr(new java.io.PrintWriter(ctx.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine bad = ex.getCommandLine();
            Ui.error(ctx.err(), ex.getMessage().strip() + " (run '" + bad.getCommandSpec().qualifiedName() + " --help' for usage)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, bad, parsed) -> {
            if (ex instanceof NetskyException) {
                Ui.error(ctx.err(), ex.getMessage());
            } else {
                Ui.error(ctx.err(), bad.getCommandSpec().qualifiedName() + " failed: " + ex);
                if (ctx.env().containsKey("NETSKY_DEBUG")) ex.printStackTrace(ctx.err());
            }
            return 1;
        });
        return cl;
    }

    /** Creates command objects, handing each the context when it has a {@code (CliContext)} constructor. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(CliContext.class).newInstance(ctx);
            } catch (NoSuchMethodException plain) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
