package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.WatchdogPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The observability commands on a real stub constellation (`up 1 --type stub`: agent0, agent1,
 * agentinfinity and the ticker as real processes in real tmux): doctor is green, status sees live
 * stub agents, and the commands that ran left their events in meta.db.
 */
class StubConstellationTest {
    @Test
    void doctorGreenStatusLiveAndEventsRecordedOnAStubConstellation() throws Exception {
        try (var h = LifecycleWorld.create()) {
            h.withEnv("AGENT_RUNTIME", "stub");
            Path units = Files.createDirectories(h.home.resolve(".config/systemd/user"));
            Files.writeString(units.resolve("netsky-watchdog.service"), "[Service]\n");
            Files.writeString(units.resolve("netsky-watchdog.timer"), "[Timer]\n");
            var up = h.run("up", "1", "--type", "stub", "--no-attach");
            assertEquals(0, up.exit(), up.out() + up.err());
            var wd = WatchdogPaths.of(h.paths(), h.env());
            NetskyHarness.await("the ticker's first watchdog pass", Duration.ofSeconds(60), () -> Files.exists(wd.lastTick()));

            var send = h.run("channel", "send", "agent1", "ping", "--id", "ping-1");
            assertEquals(0, send.exit(), send.err());
            NetskyHarness.await("agent1's pong", Duration.ofSeconds(30),
                    () -> LifecycleWorld.allMail(h, "agent0").matches("(?s).*\"in_reply_to\":\"ping-1\".*\"text\":\"pong\".*"));

            var doctor = h.run("doctor");
            assertEquals(0, doctor.exit(), doctor.out());
            assertTrue(doctor.out().contains("ok    sessions") && doctor.out().contains("agent0, agent1, agentinfinity, netsky-ticker up"), doctor.out());
            assertTrue(doctor.out().contains("ok    ready") && doctor.out().contains("ok    ticker heartbeat"), doctor.out());

            var status = h.run("status", "--json");
            assertEquals(0, status.exit(), status.err());
            Map<String, JsonNode> by = new HashMap<>();
            for (JsonNode a : EnvelopeCodec.mapper().readTree(status.out()).path("data").path("agents")) by.put(a.path("agent").asString(), a);
            assertEquals(java.util.Set.of("agent0", "agent1", "agentinfinity"), by.keySet(), status.out());
            for (JsonNode a : by.values()) {
                assertTrue(List.of("idle", "working").contains(a.path("state").asString()), a.toString());
                assertEquals("stub", a.path("runtime").asString());
                assertTrue(a.path("uptime_s").asLong() >= 0);
            }
            assertTrue(by.get("agent1").path("last_message").asString().contains("agent1→agent0 pong"), "the delivered reply is the newest: " + by.get("agent1"));

            var fresh = h.run("agent", "1", "--fresh");
            assertEquals(0, fresh.exit(), fresh.out() + fresh.err());
            var down = h.run("down", "--force");
            assertEquals(0, down.exit(), down.out() + down.err());

            JsonNode rows = EnvelopeCodec.mapper().readTree(h.run("query", "--json",
                    "SELECT (SELECT group_concat(agent || ':' || event, ',') FROM (SELECT agent, event FROM sessions ORDER BY id)) AS sessions,"
                            + " (SELECT COUNT(*) FROM communication_events WHERE kind = 'sent' AND envelope_id = 'ping-1' AND to_agent = 'agent1') AS sent,"
                            + " (SELECT COUNT(*) FROM communication_events WHERE kind = 'delivered' AND envelope_id = 'ping-1' AND to_agent = 'agent1') AS delivered,"
                            + " (SELECT outcome || '/' || fresh || '/' || runtime FROM clone_dispatches) AS dispatch,"
                            + " (SELECT COUNT(*) FROM ticks) AS ticks,"
                            + " (SELECT COUNT(*) FROM cli_invocations WHERE argv_json LIKE '[\"netsky\",\"up\"%') AS ups").out()).path("data").path("rows").get(0);
            assertEquals("agent0:up,agent1:up,agentinfinity:up,agent1:up,agent0:down", rows.path("sessions").asString(), rows.toString());
            assertEquals(1, rows.path("sent").asInt());
            assertEquals(1, rows.path("delivered").asInt(), "agent1's channel server recorded the delivery");
            assertEquals("spawned, ready/1/stub", rows.path("dispatch").asString());
            assertNotEquals(0, rows.path("ticks").asInt(), "the ticker's watchdog passes recorded ticks");
            assertEquals(1, rows.path("ups").asInt());
        }
    }
}
