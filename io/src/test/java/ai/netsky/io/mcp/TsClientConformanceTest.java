package ai.netsky.io.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.BoundedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The demo and imessage servers under the official MCP TypeScript SDK client (the one Claude Code builds on). */
class TsClientConformanceTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    static Path sdkDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("test-tools/package.json"))) p = p.getParent();
        if (p == null) throw new AssertionError("test-tools/package.json not found above " + Path.of("").toAbsolutePath());
        Path sdk = p.resolve("test-tools/node_modules/@modelcontextprotocol/sdk");
        if (!Files.isDirectory(sdk)) throw new AssertionError("the MCP TypeScript SDK is not installed in " + sdk + "; run bin/test (it installs test-tools)");
        return sdk;
    }

    JsonNode run(String source, Map<String, String> serverEnv, List<Map<String, Object>> calls, int pushes) throws Exception {
        Path script = Path.of(TsClientConformanceTest.class.getResource("/mcp-ts-client.mjs").toURI());
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ServeMain.class.getName(), source));
        Map<String, String> env = new HashMap<>();
        env.put("MCP_SDK_DIR", sdkDir().toString());
        env.put("MCP_SERVER_ARGV", JSON.writeValueAsString(argv));
        env.put("MCP_SERVER_ENV", JSON.writeValueAsString(serverEnv));
        env.put("MCP_CALLS", JSON.writeValueAsString(calls));
        env.put("MCP_WAIT_PUSHES", String.valueOf(pushes));
        BoundedProcess.Result r = BoundedProcess.run(List.of("node", script.toString()), Duration.ofSeconds(90), env, home, null);
        assertEquals(0, r.exitCode(), "node client failed: " + r.stderr());
        return JSON.readTree(r.stdout());
    }

    Map<String, String> serverEnv() throws Exception {
        return new HashMap<>(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "NETSKY_DIR", Files.createDirectories(home.resolve("root")).toString(), "PATH", "/usr/bin:/bin"));
    }

    @Test
    void demoRoundTripUnderTheTypeScriptClient() throws Exception {
        Map<String, String> env = serverEnv();
        env.put("NETSKY_DEMO_SAMPLES", "0");
        JsonNode out = run("demo", env, List.of(Map.of("name", "reply", "arguments", Map.of("text", "hi from ts"))), 2);
        assertTrue(out.path("capabilities").path("experimental").path("claude/channel").isObject(), out.path("capabilities").toString());
        assertEquals("demo", out.path("serverInfo").path("name").asString());
        assertEquals("reply", out.path("tools").get(0).path("name").asString());
        assertEquals("object", out.path("tools").get(0).path("inputSchema").path("type").asString());
        JsonNode result = out.path("results").get(0);
        assertTrue(!result.path("isError").asBoolean(), result.toString());
        assertEquals("echo: hi from ts", JSON.readTree(result.path("content").get(0).path("text").asString()).path("echo").asString());
        List<String> contents = new ArrayList<>();
        out.path("pushes").forEach(p -> contents.add(p.path("content").asString()));
        assertEquals(2, contents.size(), out.path("pushes").toString());
        assertTrue(contents.get(0).startsWith("Welcome"), contents.toString());
        assertEquals("echo: hi from ts", contents.get(1));
        assertEquals("demo", out.path("pushes").get(1).path("meta").path("chat_id").asString());
    }

    @Test
    void imessageFailsClosedUnderTheTypeScriptClient() throws Exception {
        Map<String, String> env = serverEnv();
        env.put("NETSKY_IO_CHAT_DB", home.resolve("missing-chat.db").toString());
        JsonNode out = run("imessage", env, List.of(Map.of("name", "list_messages", "arguments", Map.of()),
                Map.of("name", "reply", "arguments", Map.of("chat_id", "iMessage;-;+15550001111", "text", "hi"))), 0);
        assertTrue(out.path("capabilities").path("experimental").path("claude/channel").isObject());
        assertTrue(out.path("instructions").asString().contains("prompt-injection signature"));
        List<String> names = new ArrayList<>();
        out.path("tools").forEach(t -> names.add(t.path("name").asString()));
        assertEquals(List.of("reply", "list_messages", "read_message"), names);
        for (JsonNode r : out.path("results")) {
            assertTrue(r.path("isError").asBoolean(), r.toString());
            assertTrue(r.path("content").get(0).path("text").asString().contains("fails closed"), r.toString());
        }
        if (!Files.exists(Path.of("/usr/bin/osascript"))) {
            assertTrue(out.path("instructions").asString().contains("needs macOS"), "on a host without osascript the model is told sending needs macOS");
        }
    }
}
