package ai.netsky.io.mcp;

import ai.netsky.core.Config;
import ai.netsky.io.IoSources;
import java.util.Map;

/**
 * What {@code netsky io serve --source <name>} runs, as a bare process for the MCP client tests:
 * the same {@link IoSources} and {@link IoServer}, with the process environment as the env.
 */
public final class ServeMain {
    private ServeMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        IoServer.serve(IoSources.create(args[0], env, Config.load(env), args.length < 2 || !args[1].equals("--no-watch")),
                System.in, System.out, System.err);
        System.exit(0);
    }
}
