package ai.netsky.io.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.NetskyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessStoreTest {
    @TempDir
    Path home;

    private AccessStore store(AccessSource s) {
        return AccessStore.forEnv(s, Map.of("HOME", home.toString()));
    }

    private static String reason(AccessState s) {
        return assertInstanceOf(AccessState.Closed.class, s).reason();
    }

    @Test
    void missingFileFailsClosedAndSaysHowToFixIt() {
        AccessStore s = store(AccessSource.IMESSAGE);
        assertEquals(home.resolve(".config/netsky-io/imessage/access.toml"), s.file());
        String why = reason(s.load());
        assertTrue(why.contains("does not exist") && why.contains("fails closed") && why.contains("netsky io access imessage allow <handle>"), why);
        AccessDenied denied = assertThrows(AccessDenied.class, () -> s.load().require());
        assertEquals(why, denied.getMessage());
    }

    @Test
    void allowWritesA0600FileInA0700DirectoryAndNormalises() throws Exception {
        AccessStore s = store(AccessSource.IMESSAGE);
        assertEquals(List.of("alex@example.com", "+15551234567"), s.allow(List.of(" Alex@Example.com ", "+15551234567", "alex@example.com")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file().getParent())));
        AccessList list = assertInstanceOf(AccessState.Open.class, s.load()).list();
        assertEquals(List.of("alex@example.com", "+15551234567"), list.allowFrom());
        assertTrue(list.allows("ALEX@example.com"));
        assertFalse(list.allows("mallory@example.com"));
        assertEquals(List.of("alex@example.com"), s.deny(List.of("alex@example.com", "nobody@x.y")), "deny reports what it removed");
        assertEquals(List.of("+15551234567"), assertInstanceOf(AccessState.Open.class, s.load()).list().allowFrom());
        s.deny(List.of("+15551234567"));
        assertTrue(reason(s.load()).contains("is empty"), "denying the last entry closes the source");
    }

    @Test
    void corruptFileFailsClosedAndIsNeverOverwrittenByAnEdit() throws Exception {
        AccessStore s = store(AccessSource.EMAIL);
        s.allow(List.of("alice@example.com"));
        String broken = "allow_from = [\"alice@example.com\"\n";
        Files.writeString(s.file(), broken);
        String why = reason(s.load());
        assertTrue(why.contains("is corrupt") && why.contains("line"), why);
        NetskyException e = assertThrows(NetskyException.class, () -> s.allow(List.of("bob@example.com")));
        assertTrue(e.getMessage().contains("repair or delete"), e.getMessage());
        assertEquals(broken, Files.readString(s.file()), "a failed edit loses nothing");

        Files.writeString(s.file(), "allow_from = \"alice@example.com\"\n");
        assertTrue(reason(s.load()).contains("array of strings"));
        Files.writeString(s.file(), "allow = [\"alice@example.com\"]\n");
        assertTrue(reason(s.load()).contains("unknown key 'allow'"));
        Files.writeString(s.file(), "allow_from = [\"not-an-address\"]\n");
        assertTrue(reason(s.load()).contains("not an email address"));
    }

    @Test
    void unreadableWritableByOthersOrSymlinkedFilesFailClosed() throws Exception {
        AccessStore s = store(AccessSource.CALENDAR);
        s.allow(List.of("personal"));
        Files.setPosixFilePermissions(s.file(), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(reason(s.load()).contains("writable by other users"));
        Files.setPosixFilePermissions(s.file(), PosixFilePermissions.fromString("-w-------"));
        if (!"root".equals(System.getProperty("user.name"))) assertTrue(reason(s.load()).contains("not readable"));
        Files.delete(s.file());
        Path elsewhere = Files.writeString(home.resolve("other.toml"), "allow_from = [\"personal\"]\n");
        Files.createSymbolicLink(s.file(), elsewhere);
        assertTrue(reason(s.load()).contains("symlink"));
    }

    @Test
    void emailEntriesMatchWholeDomainsAndImessageSelfTableParses() throws Exception {
        AccessStore e = store(AccessSource.EMAIL);
        e.allow(List.of("@example.com"));
        AccessList l = assertInstanceOf(AccessState.Open.class, e.load()).list();
        assertTrue(l.allows("Bob@EXAMPLE.com"));
        assertFalse(l.allows("bob@example.com.evil.test"));
        assertFalse(l.allows("bob@notexample.com"));
        assertThrows(NetskyException.class, () -> e.allow(List.of("a\"b@x.y")));

        AccessStore i = store(AccessSource.IMESSAGE);
        Files.createDirectories(i.file().getParent());
        Files.writeString(i.file(), "allow_from = [\"+15550001111\"]\n\n[self]\nchat_id = \"iMessage;-;+15559990000\"\nhandles = [\"Owner@Example.com\"]\n");
        AccessList il = assertInstanceOf(AccessState.Open.class, i.load()).list();
        assertEquals("iMessage;-;+15559990000", il.selfChatId().orElseThrow());
        assertEquals(List.of("+15550001111", "owner@example.com"), il.handles());
        i.allow(List.of("+15552223333"));
        assertTrue(Files.readString(i.file()).contains("chat_id = \"iMessage;-;+15559990000\""), "editing keeps the [self] table");
    }

    @Test
    void xdgConfigHomeIsHonoured() {
        Path xdg = home.resolve("xdg");
        AccessStore s = AccessStore.forEnv(AccessSource.EMAIL, Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString()));
        assertEquals(xdg.resolve("netsky-io/email/access.toml"), s.file());
    }
}
