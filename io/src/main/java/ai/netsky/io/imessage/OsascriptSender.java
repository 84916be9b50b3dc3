package ai.netsky.io.imessage;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.NetskyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sends through Messages.app with a <b>fixed</b> AppleScript fed on stdin to {@code osascript -},
 * the text and chat GUID passed only as argv items: nothing the model or a sender wrote is ever
 * parsed as AppleScript, so quotes, {@code end tell}, backslashes and newlines arrive verbatim.
 */
public final class OsascriptSender implements MessageSender {
    public static final String SCRIPT = "on run argv\n"
            + "tell application \"Messages\" to send (item 1 of argv) to chat id (item 2 of argv)\n"
            + "end run\n";
    public static final Duration TIMEOUT = Duration.ofSeconds(8);

    private final Map<String, String> env;
    private final Duration timeout;

    public OsascriptSender(Map<String, String> env) {
        this(env, TIMEOUT);
    }

    public OsascriptSender(Map<String, String> env, Duration timeout) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** The argv of one send; the script is not in it (it goes to stdin). */
    public static List<String> argv(String text, String chatGuid) {
        return List.of("osascript", "-", text, chatGuid);
    }

    @Override
    public String unavailableReason() {
        if (onPath()) return null;
        String os = System.getProperty("os.name", "?");
        return "sending iMessages needs macOS (osascript and Messages.app); this host runs " + os
                + " without osascript on PATH, so `reply` fails while reading a copied chat.db works";
    }

    private boolean onPath() {
        String path = env.get("PATH");
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "osascript"))) return true;
        }
        return false;
    }

    @Override
    public void send(String text, String chatGuid) {
        String why = unavailableReason();
        if (why != null) throw new NetskyException(why);
        BoundedProcess.Result r;
        try {
            r = BoundedProcess.run(argv(text, chatGuid), timeout, env, null, SCRIPT.getBytes(StandardCharsets.UTF_8));
        } catch (BoundedProcess.TimedOut t) {
            throw new NetskyException("osascript did not finish within " + timeout.toSeconds() + " s and was killed; Messages.app may be wedged — open it, or restart it");
        }
        if (!r.ok()) {
            throw new NetskyException("osascript exited " + r.exitCode() + ": " + r.stderr().strip() + "; check that Messages.app is signed in and the chat exists");
        }
    }
}
