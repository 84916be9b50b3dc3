package ai.netsky.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.netsky.core.AgentId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner channels (imessage, email, calendar) go to agent0 and agentinfinity only. */
class McpConfigOwnerSourcesTest {
    @TempDir
    Path home;

    @Test
    void ownerFacingAgentsGetImessageAndConfiguredChannelsClonesOnlyTheBus() throws Exception {
        Path root = Files.createDirectories(home.resolve("netsky"));
        Map<String, String> linux = Map.of("HOME", home.toString(), "NETSKY_DIR", root.toString(), "XDG_CONFIG_HOME", home.resolve("xdg").toString());
        assertEquals(List.of(), McpConfig.ownerSources(linux, false), "off macOS, no chat.db: no imessage server to start");
        assertEquals(List.of("imessage"), McpConfig.ownerSources(linux, true), "macOS: imessage always");
        Map<String, String> env = new java.util.HashMap<>(linux);
        env.put("NETSKY_IO_CHAT_DB", home.resolve("chat.db").toString());
        assertEquals(List.of("agent", "imessage"), List.copyOf(McpConfig.serversFor(AgentId.AGENT0, "/bin/netsky", env).keySet()));
        assertEquals(List.of("agent", "imessage"), List.copyOf(McpConfig.serversFor(AgentId.AGENTINFINITY, "/bin/netsky", env).keySet()));
        assertEquals(List.of("agent"), List.copyOf(McpConfig.serversFor(AgentId.fromNumber(3), "/bin/netsky", env).keySet()));

        Files.writeString(root.resolve("netsky.toml"), """
                [[channels.email.accounts]]
                name = "me"
                address = "me@example.com"
                imap_host = "imap.example.com"
                smtp_host = "smtp.example.com"

                [[channels.calendar.calendars]]
                name = "personal"
                url = "https://dav.example.com/cal/"
                """);
        var servers = McpConfig.serversFor(AgentId.AGENT0, "/bin/netsky", env);
        assertEquals(List.of("agent", "imessage", "email", "calendar"), List.copyOf(servers.keySet()));
        McpConfig.Server email = servers.get("email");
        assertEquals(List.of("io", "serve", "--source", "email"), email.args());
        assertEquals("0", email.env().get("AGENT_N"));
        assertEquals(home.resolve("xdg").toString(), email.env().get("XDG_CONFIG_HOME"), "the allowlist location travels with the server");
        assertEquals(List.of("agent"), List.copyOf(McpConfig.serversFor(AgentId.fromNumber(1), "/bin/netsky", env).keySet()));
        assertEquals(servers, McpConfig.parse(McpConfig.toJson(servers)));
    }
}
