package ai.netsky.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.Config;
import ai.netsky.core.NetskyException;
import ai.netsky.io.calendar.CalendarFeed;
import ai.netsky.io.email.EmailAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** netsky.toml [channels.email] / [channels.calendar]: defaults, and errors that name the key and the fix. */
class IoConfigTest {
    @TempDir
    Path dir;

    Config config(String toml) throws Exception {
        Path f = Files.writeString(dir.resolve("netsky.toml"), toml);
        return Config.load(f, Map.of());
    }

    @Test
    void accountsAndCalendarsParseWithDefaults() throws Exception {
        Config c = config("""
                [[channels.email.accounts]]
                name = "work"
                address = "Me@Example.com"
                imap_host = "imap.example.com"
                smtp_host = "smtp.example.com"
                smtp_security = "starttls"

                [[channels.calendar.calendars]]
                name = "holidays"
                url = "webcal://example.com/holidays.ics"
                type = "ics"
                """);
        EmailAccount a = EmailAccount.fromConfig(c).get(0);
        assertEquals("me@example.com", a.address());
        assertEquals("Me@Example.com", a.username());
        assertEquals(993, a.imapPort());
        assertEquals(EmailAccount.Security.STARTTLS, a.smtpSecurity());
        assertEquals(587, a.smtpPort());
        assertEquals("Drafts", a.draftsFolder());
        CalendarFeed f = CalendarFeed.fromConfig(c).get(0);
        assertEquals("https://example.com/holidays.ics", f.url().toString());
        assertEquals(CalendarFeed.Type.ICS, f.type());
        assertTrue(!f.writable());
    }

    @Test
    void badValuesNameTheKey() throws Exception {
        for (String[] bad : new String[][] {
                {"[[channels.email.accounts]]\nname = \"a:b\"\naddress = \"x@y.z\"\nimap_host = \"h\"\nsmtp_host = \"h\"\n", "[0].name"},
                {"[[channels.email.accounts]]\nname = \"a\"\naddress = \"x@y.z\"\nimap_host = \"h\"\n", "needs imap_host and smtp_host"},
                {"[[channels.email.accounts]]\nname = \"a\"\naddress = \"x@y.z\"\nimap_host = \"h\"\nsmtp_host = \"h\"\nimap_port = 70000\n", "[0].imap_port"},
                {"[[channels.email.accounts]]\nname = \"a\"\naddress = \"x@y.z\"\nimap_host = \"h\"\nsmtp_host = \"h\"\nimap_security = \"tls\"\n", "\"ssl\", \"starttls\" or \"none\""},
                {"[[channels.calendar.calendars]]\nname = \"c\"\nurl = \"ftp://x/\"\n", "[0].url"},
                {"[[channels.calendar.calendars]]\nname = \"c\"\nurl = \"https://x/\"\ntype = \"exchange\"\n", "[0].type"}}) {
            Config c = config(bad[0]);
            NetskyException e = assertThrows(NetskyException.class, () -> {
                EmailAccount.fromConfig(c);
                CalendarFeed.fromConfig(c);
            });
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().contains("fix netsky.toml"), e.getMessage());
        }
    }
}
