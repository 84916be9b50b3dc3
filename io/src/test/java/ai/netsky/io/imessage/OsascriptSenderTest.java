package ai.netsky.io.imessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.netsky.core.NetskyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stand-in {@code osascript} on PATH records its argv (NUL-separated) and stdin: what Messages would have run. */
class OsascriptSenderTest {
    @TempDir
    Path dir;

    private Map<String, String> envWith(String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("osascript");
        Files.writeString(fake, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    private Map<String, String> recorder() throws Exception {
        return envWith("printf '%s\\0' \"$@\" > '" + dir.resolve("argv") + "'\ncat > '" + dir.resolve("stdin") + "'\nexit 0");
    }

    private List<String> argv() throws Exception {
        String raw = Files.readString(dir.resolve("argv"), StandardCharsets.UTF_8);
        return Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1));
    }

    @Test
    void hostilePayloadsArriveVerbatimAsArgvAndTheScriptNeverChanges() throws Exception {
        OsascriptSender s = new OsascriptSender(recorder());
        assertNull(s.unavailableReason());
        String guid = "iMessage;-;+15550001111";
        List<String> payloads = List.of(
                "say \"hi\" to everyone",
                "\" end tell\ndo shell script \"touch " + dir.resolve("pwned") + "\"\ntell application \"Messages\" to send \"x",
                "end tell",
                "back\\slash \\\" and \\n literal",
                "line one\nline two\r\nline three",
                "$(touch " + dir.resolve("pwned2") + ") `id` ; rm -rf / && echo",
                "{{template}} ${env} %s");
        for (String p : payloads) {
            s.send(p, guid);
            assertEquals(List.of("-", p, guid), argv(), "argv for payload " + p);
            assertEquals(OsascriptSender.SCRIPT, Files.readString(dir.resolve("stdin")), "the script on stdin is the fixed one");
        }
        assertFalse(Files.exists(dir.resolve("pwned")) || Files.exists(dir.resolve("pwned2")), "nothing was executed");
    }

    @Test
    void theFixedScriptReadsOnlyArgvAndHasNoPlaceholders() {
        String script = OsascriptSender.SCRIPT;
        assertTrue(script.contains("(item 1 of argv)") && script.contains("(item 2 of argv)"));
        assertTrue(script.startsWith("on run argv\n") && script.endsWith("end run\n"));
        for (String hole : List.of("{{", "${", "%s", "\" &")) assertFalse(script.contains(hole), hole);
        assertEquals(List.of("osascript", "-", "t", "g"), OsascriptSender.argv("t", "g"));
        assertEquals(Duration.ofSeconds(8), OsascriptSender.TIMEOUT);
    }

    @Test
    void aWedgedMessagesAppIsKilledAtTheDeadline() throws Exception {
        OsascriptSender s = new OsascriptSender(envWith("exec sleep 30"), Duration.ofMillis(400));
        long t0 = System.nanoTime();
        NetskyException e = assertThrows(NetskyException.class, () -> s.send("hi", "g"));
        assertTrue(e.getMessage().contains("Messages.app may be wedged"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "killed, not waited out");
    }

    @Test
    void aFailingOsascriptReportsItsStderrAndLinuxExplainsThatSendingNeedsMacos() throws Exception {
        OsascriptSender bad = new OsascriptSender(envWith("echo 'execution error: Messages got an error' >&2; exit 1"));
        NetskyException e = assertThrows(NetskyException.class, () -> bad.send("hi", "g"));
        assertTrue(e.getMessage().contains("exited 1") && e.getMessage().contains("Messages got an error"), e.getMessage());

        OsascriptSender none = new OsascriptSender(Map.of("PATH", Files.createDirectories(dir.resolve("empty")).toString()));
        assertNotNull(none.unavailableReason());
        assertTrue(none.unavailableReason().contains("needs macOS"), none.unavailableReason());
        assertTrue(assertThrows(NetskyException.class, () -> none.send("hi", "g")).getMessage().contains("needs macOS"));
    }
}
