package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.BoundedProcess;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.EnvelopeWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code netsky io serve --source agent} through the real launcher, driven by the official MCP TypeScript
 * SDK client from npm (test-tools/agent-channel-conformance.mjs): initialize, tools/list, a pushed
 * notifications/claude/channel, tools/call reply (lands in agent0's inbox), a bad send (isError).
 */
class AgentChannelConformanceIT {
    @Test
    void theServerProcessEndsWhenItsClientClosesStdin() {
        try (var h = new NetskyHarness().withEnv("AGENT_N", "2")) {
            byte[] in = ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"server/discover\"}\nnot json\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // BoundedProcess closes stdin after writing and fails if the process outlives the deadline.
            var r = BoundedProcess.run(List.of(NetskyHarness.netskyBin().toString(), "io", "serve", "--source", "agent"),
                    Duration.ofSeconds(60), h.env(), h.root, in);
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stdout().contains("\"code\":-32700"), "the malformed line was answered: " + r.stdout());
            assertTrue(r.stdout().contains("\"id\":0,\"error\":{\"code\":-32601"), "requests in flight at EOF are still answered: " + r.stdout());
            assertTrue(r.stderr().contains("agent channel for agent2 up"), r.stderr());
        }
    }

    @Test
    void theMcpTypeScriptSdkClientTalksToTheAgentChannel() throws Exception {
        Path script = NetskyHarness.repoRoot().resolve("test-tools/agent-channel-conformance.mjs");
        assertTrue(Files.isDirectory(NetskyHarness.repoRoot().resolve("test-tools/node_modules/@modelcontextprotocol/sdk")),
                "the MCP TypeScript SDK is installed by bin/test into test-tools/node_modules");
        try (var h = new NetskyHarness().withEnv("AGENT_N", "1").withEnv("NETSKY_DELIVERY", "channel")) {
            new EnvelopeWriter(h.paths()).send(AgentId.of("agent1"),
                    Envelope.now("agent0", "ping <1> & more").withId("conf-1").withThread("th").withKind("brief"));
            var r = BoundedProcess.run(List.of("node", script.toString(), NetskyHarness.netskyBin().toString()),
                    Duration.ofSeconds(90), h.env(), script.getParent(), null);
            assertEquals(0, r.exitCode(), "node client failed:\n" + r.stderr() + r.stdout());
            JsonNode seen = JsonMapper.builder().build().readTree(r.stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());

            assertEquals("agent", seen.path("server").path("name").asString());
            assertTrue(seen.path("capabilities").path("experimental").path("claude/channel").isObject(), seen.toString());
            assertTrue(seen.path("capabilities").has("tools"));
            assertTrue(seen.path("instructions").asString().contains("mcp__agent__reply"));
            assertEquals("[{\"name\":\"reply\",\"required\":[\"text\"]},{\"name\":\"send\",\"required\":[\"to\",\"text\"]}]",
                    seen.path("tools").toString());

            JsonNode push = seen.path("pushes").path(0);
            assertEquals("ping <1> & more", push.path("content").asString());
            JsonNode meta = push.path("meta");
            assertEquals("agent0", meta.path("from").asString());
            assertEquals("agent0", meta.path("chat_id").asString());
            assertEquals("conf-1", meta.path("id").asString());
            assertEquals("brief", meta.path("kind").asString());
            assertEquals("th", meta.path("thread").asString());
            assertFalse(meta.path("ts").asString().isEmpty());

            assertFalse(seen.path("reply").path("isError").asBoolean(false), seen.path("reply").toString());
            assertTrue(seen.path("bad").path("isError").asBoolean(), seen.path("bad").toString());
            assertTrue(seen.path("bad").path("content").path(0).path("text").asString().contains("not an agent id"));

            Path inbox0 = h.paths().inbox(AgentId.AGENT0);
            try (Stream<Path> s = Files.list(inbox0)) {
                List<Path> files = s.filter(p -> p.toString().endsWith(".json")).toList();
                assertEquals(1, files.size(), files.toString());
                Envelope reply = EnvelopeCodec.parse(Files.readAllBytes(files.getFirst()));
                assertEquals("agent1", reply.from());
                assertEquals("conf-1", reply.inReplyTo());
                assertEquals("th", reply.thread());
                assertEquals("pong from the TypeScript SDK", reply.text());
            }
            assertEquals(0, Files.list(h.paths().inbox(AgentId.of("agent1"))).count(), "delivered envelope left the inbox");
        }
    }
}
