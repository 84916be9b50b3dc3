package ai.netsky.testkit;

/**
 * Runs a scripted server by hand, for exploring an agent CLI's screens:
 * {@code java -cp testkit/target/classes:… ai.netsky.testkit.ScriptedServerMain anthropic|openai [dump-prefix]}: with a prefix, each request body is saved as {@code <prefix>-<n>.json}.
 * Prints the base URL, then one line per request (method, path, offered tools).
 */
public final class ScriptedServerMain {
    private ScriptedServerMain() {}

    public static void main(String[] args) throws Exception {
        ScriptedServer s = args.length > 0 && args[0].equals("openai") ? ScriptedOpenAiServer.start() : ScriptedAnthropicServer.start();
        System.out.println(s.baseUrl());
        int seen = 0;
        while (true) {
            var reqs = s.requests();
            for (; seen < reqs.size(); seen++) {
                var r = reqs.get(seen);
                System.out.println(r.method() + " " + r.path() + " tools=" + r.toolNames());
                if (args.length > 1) java.nio.file.Files.writeString(java.nio.file.Path.of(args[1] + "-" + seen + ".json"), r.body());
            }
            Thread.sleep(200);
        }
    }
}
