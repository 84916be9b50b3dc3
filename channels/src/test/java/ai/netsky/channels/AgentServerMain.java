package ai.netsky.channels;

import ai.netsky.core.AgentId;
import ai.netsky.core.NetskyPaths;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/**
 * The agent source as its own process for tests ({@code io serve --source agent} without the CLI around
 * it, so this module's tests need no packaged build): args {@code <agent> <mode>}, HOME from the env.
 */
public final class AgentServerMain {
    public static void main(String[] args) throws Exception {
        AgentSource.serve(AgentId.of(args[0]), NetskyPaths.fromEnv(), DeliveryMode.parse(args[1]), System.getenv(),
                System.in, new FileOutputStream(FileDescriptor.out), System.err);
        System.exit(0);
    }
}
