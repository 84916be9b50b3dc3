package ai.netsky.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** {@code netsky io access …} in-process against an isolated HOME. */
class IoAccessCommandTest {
    @Test
    void allowDenyListCheckForEachSource() throws Exception {
        try (NetskyHarness h = new NetskyHarness()) {
            h.withEnv("NETSKY_IO_CHAT_DB", h.base.resolve("no-chat.db").toString());
            Path file = h.home.resolve(".config/netsky-io/imessage/access.toml");

            var closed = h.run("io", "access", "check");
            assertEquals(1, closed.exit(), closed.out() + closed.err());
            assertTrue(closed.err().contains("error: imessage allowlist " + file + " does not exist") && closed.err().contains("netsky io access imessage allow <handle>"), closed.err());

            var allow = h.run("io", "access", "allow", "+15551234567", "Alex@Example.com");
            assertEquals(0, allow.exit(), allow.err());
            assertEquals("[netsky io access] allowed +15551234567, alex@example.com for imessage (" + file + ")\n", allow.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            assertEquals("+15551234567\nalex@example.com\n", h.run("io", "access", "imessage", "list").out());

            var check = h.run("io", "access", "check");
            assertEquals(0, check.exit(), check.err());
            assertTrue(check.out().contains("allow_from: +15551234567, alex@example.com") && check.out().contains("chat.db: cannot open chat.db"), check.out());
            assertTrue(check.out().contains("imessage allowlist is open (2 entries)"), check.out());

            assertEquals(0, h.run("io", "access", "deny", "alex@example.com").exit());
            assertEquals("+15551234567\n", h.run("io", "access", "list").out());

            assertEquals(0, h.run("io", "access", "email", "allow", "@example.com").exit());
            var json = h.run("io", "access", "email", "list", "--json");
            assertTrue(json.out().contains("\"command\" : \"io access\"") && json.out().contains("\"@example.com\""), json.out());
            var bad = h.run("io", "access", "email", "allow", "not-an-address");
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("is not an email address or @domain"), bad.err());

            var cal = h.run("io", "access", "calendar", "check");
            assertEquals(1, cal.exit());
            assertTrue(cal.err().contains("calendar allowlist") && cal.err().contains("fails closed"), cal.err());
        }
    }

    @Test
    void usageErrorsExit2AndAllowWithoutEntriesUsesTheOwnersHandle() throws Exception {
        try (NetskyHarness h = new NetskyHarness()) {
            assertEquals(2, h.run("io", "access", "frobnicate").exit());
            assertEquals(2, h.run("io", "access", "email").exit());
            assertEquals(2, h.run("io", "access", "deny").exit());
            var noOwner = h.run("io", "access", "allow");
            assertEquals(2, noOwner.exit());
            assertTrue(noOwner.err().contains("owner.imessage"), noOwner.err());

            Files.writeString(h.root.resolve("netsky.toml"), "[owner]\nimessage = \"+15559990000\"\nemail = \"me@example.com\"\n");
            assertEquals(0, h.run("io", "access", "allow").exit());
            assertEquals("+15559990000\n", h.run("io", "access", "list").out());
            assertEquals(0, h.run("io", "access", "email", "allow").exit());
            assertEquals("me@example.com\n", h.run("io", "access", "email", "list").out());
        }
    }

    @Test
    void aCorruptListIsReportedAndNeverOverwritten() throws Exception {
        try (NetskyHarness h = new NetskyHarness()) {
            Path file = h.home.resolve(".config/netsky-io/email/access.toml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "allow_from = [\n");
            var check = h.run("io", "access", "email", "check");
            assertEquals(1, check.exit());
            assertTrue(check.err().contains("is corrupt"), check.err());
            var allow = h.run("io", "access", "email", "allow", "a@b.c");
            assertEquals(1, allow.exit());
            assertTrue(allow.err().contains("repair or delete the file first"), allow.err());
            assertEquals("allow_from = [\n", Files.readString(file));
        }
    }
}
