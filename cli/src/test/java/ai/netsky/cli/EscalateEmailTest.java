package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The Linux floor of escalation: email to owner.email through a configured account, against a real SMTP server. */
class EscalateEmailTest {
    @Test
    void escalateMailsTheOwnerAndAFailedServerLeavesTheMarker() throws Exception {
        GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        try (var h = new NetskyHarness()) {
            Files.writeString(h.root.resolve("netsky.toml"), """
                    [owner]
                    email = "owner@example.com"

                    [[channels.email.accounts]]
                    name = "netsky"
                    address = "netsky@example.com"
                    imap_host = "127.0.0.1"
                    imap_security = "none"
                    smtp_host = "127.0.0.1"
                    smtp_port = %d
                    smtp_security = "none"
                    """.formatted(mail.getSmtp().getPort()));
            var r = h.run("escalate", "agent0 crash-loop", "three revives without a liveness proof");
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("[netsky escalate] sent via email to owner@example.com"), r.out());
            var got = mail.getReceivedMessagesForDomain("example.com");
            assertEquals(1, got.length);
            assertEquals("[netsky] agent0 crash-loop", got[0].getSubject());
            assertEquals("owner@example.com", got[0].getAllRecipients()[0].toString());
            String body = GreenMailUtil.getBody(got[0]);
            assertTrue(body.matches("(?s)\\[netsky \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\] agent0 crash-loop\\s+three revives.*"), body);

            mail.stop(); // the server goes away: two attempts fail, the marker is written, the command fails loudly
            var down = h.run("escalate", "agent0 hang");
            assertEquals(1, down.exit(), down.out());
            assertTrue(down.out().contains("email to owner@example.com attempt 2"), down.out());
            try (var s = Files.list(h.paths().stateDir())) {
                assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("escalate-failed-")), "escalate-failed marker for doctor");
            }
        } finally {
            mail.stop();
        }
    }
}
