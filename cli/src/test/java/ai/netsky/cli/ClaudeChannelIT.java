package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.AgentId;
import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.testkit.RecordedRequest;
import ai.netsky.testkit.ScriptedAnthropicServer;
import ai.netsky.testkit.ScriptedAnthropicServer.Turn;
import ai.netsky.testkit.TestTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent channel end to end with the real Claude Code CLI (npm) in a real tmux pane, against a
 * scripted Anthropic server on loopback. API-key auth means Claude Code has no channel push ("Channels
 * are not currently available"), so {@code auto} delivery must nudge: {@code netsky channel send agent1 ping}
 * is pasted into agent1's pane, the scripted model answers with an {@code mcp__agent__reply} tool call,
 * and the reply lands in agent0's inbox with {@code in_reply_to} = the ping's id.
 */
class ClaudeChannelIT {
    @Test
    void pingReachesClaudeByNudgeAndTheModelsReplyLandsInAgent0sInbox() throws Exception {
        Path claude = TestTools.claude();
        try (ScriptedAnthropicServer model = ScriptedAnthropicServer.start();
             var h = new NetskyHarness()) {
            String path = claude.getParent() + ":" + h.env().get("PATH");
            h.withEnv("PATH", path).withEnv("ANTHROPIC_BASE_URL", model.baseUrl()).withEnv("ANTHROPIC_API_KEY", "sk-ant-netsky-test-0000000000000000")
                    .withEnv("NETSKY_READY_TIMEOUT_S", "60");
            // The model answers a nudged channel block from agent0 with a reply tool call, then ends its turn.
            model.respondWith(req -> {
                if (!req.offersTools()) return null;
                String lastUser = lastUserText(req);
                if (lastUser.contains("<channel source=\"agent\"") && lastUser.contains(">ping</channel>")) {
                    return Turn.toolUse("mcp__agent__reply", Map.of("chat_id", "agent0", "text", "pong from claude"));
                }
                return Turn.text("done");
            });

            var up = h.exec(Duration.ofSeconds(80), "agent", "1", "--type", "claude");
            assertEquals(0, up.exitCode(), "agent 1 did not come up:\n" + up.stdout() + up.stderr() + pane(h));
            // Claude Code calls the model only when there is a message; its MCP server opens the delivery ledger at start-up.
            NetskyHarness.await("agent1's channel server to start (its delivery ledger)", Duration.ofSeconds(30),
                    () -> Files.exists(h.paths().agentStateFile(AgentId.of("agent1"), "delivered.log")));

            var sent = h.exec(Duration.ofSeconds(30), "channel", "send", "agent1", "ping");
            assertEquals(0, sent.exitCode(), sent.stderr());

            Path inbox0 = h.paths().inbox(AgentId.AGENT0);
            try {
                NetskyHarness.await("the reply in agent0's inbox", Duration.ofSeconds(60), () -> count(inbox0) > 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; model requests: " + model.messageRequests().size() + pane(h), e);
            }
            // Claude Code defers MCP tools behind ToolSearch: the name is listed in the request, not in tools[].
            assertTrue(model.messageRequests().stream().anyMatch(r -> r.body().contains("mcp__agent__reply")),
                    () -> "Claude Code told the model about the channel server's reply tool; tools offered: "
                            + model.messageRequests().stream().map(RecordedRequest::toolNames).toList());
            Envelope reply = only(inbox0);
            Envelope ping = only(h.paths().processed(AgentId.of("agent1")));
            assertEquals("agent1", reply.from());
            assertEquals("agent0", reply.to());
            assertEquals("pong from claude", reply.text());
            assertEquals("reply", reply.kind());
            assertNotNull(ping.id(), "channel send gives every envelope an id");
            assertEquals(ping.id(), reply.inReplyTo(), "the reply answers the ping");
            String push = Files.readString(h.paths().agentStateFile(AgentId.of("agent1"), "channel-push")).strip();
            assertEquals("unavailable", push, "API-key Claude Code has no channel push, so this went by nudge");
            assertTrue(model.messageRequests().stream().anyMatch(r -> lastUserText(r).contains(">ping</channel>")),
                    "the model saw the rendered channel block");
        }
    }

    private static String lastUserText(RecordedRequest req) {
        String last = "";
        for (var m : req.json().path("messages")) {
            if (!"user".equals(m.path("role").asString(""))) continue;
            var c = m.path("content");
            if (c.isString()) last = c.asString();
            else {
                StringBuilder b = new StringBuilder();
                for (var part : c) if ("text".equals(part.path("type").asString(""))) b.append(part.path("text").asString("")).append('\n');
                last = b.toString();
            }
        }
        return last;
    }

    private static String pane(NetskyHarness h) {
        var r = h.tmux("capture-pane", "-p", "-t", "=agent1:");
        return "\n--- agent1 pane ---\n" + r.stdout() + r.stderr();
    }

    private static long count(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static Envelope only(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, files.size(), dir + ": " + files);
            return EnvelopeCodec.parse(Files.readAllBytes(files.getFirst()));
        }
    }
}
