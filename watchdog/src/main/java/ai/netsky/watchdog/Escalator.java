package ai.netsky.watchdog;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code netsky escalate}: the floor that pages the owner without an LLM (spec watchdog.md §8).
 * Each configured notifier gets two bounded attempts; success on any notifier is success. When all
 * fail — or none is configured — an {@code escalate-failed-<epoch>} marker is written for doctor and
 * the call fails: an escalation is never silent.
 */
public final class Escalator {
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(8);
    public static final int ATTEMPTS = 2;

    /** AppleScript with no interpolation: the handle and text arrive as argv items. */
    public static final String IMESSAGE_SCRIPT = String.join("\n",
            "on run argv",
            "  set targetHandle to item 1 of argv",
            "  set messageText to item 2 of argv",
            "  tell application \"Messages\"",
            "    set targetService to 1st service whose service type = iMessage",
            "    set targetBuddy to buddy targetHandle of targetService",
            "    send messageText to targetBuddy",
            "  end tell",
            "end run");

    /** One way to reach the owner. */
    public sealed interface Notifier permits ProcessNotifier, Mail {
        String describe();
    }

    /** A notifier that is a bounded child process: the message reaches it only as an argv item. */
    public sealed interface ProcessNotifier extends Notifier permits IMessage, CommandHook {
        List<String> argv(String message);
    }

    /** Sends one mail; implementations bound their own network waits (SMTP timeouts). */
    @FunctionalInterface
    public interface MailSender {
        void send(String to, String subject, String body) throws Exception;
    }

    /** Email to the owner's address (owner.email) through a configured SMTP account. */
    public record Mail(String to, MailSender sender) implements Notifier {
        public String describe() { return "email to " + to; }
    }

    /** macOS Messages via osascript; handle and message only as argv. */
    public record IMessage(String handle) implements ProcessNotifier {
        public String describe() { return "iMessage to " + handle; }

        public List<String> argv(String message) {
            return List.of("osascript", "-e", IMESSAGE_SCRIPT, handle, message);
        }
    }

    /** A user program (ntfy, signal-cli, mail, a script): the message is its last argument; no shell. */
    public record CommandHook(List<String> command) implements ProcessNotifier {
        public static CommandHook parse(String spec) {
            List<String> parts = Arrays.stream(spec.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
            if (parts.isEmpty()) throw new NetskyException("owner.notify_command is empty; set it to a program path");
            return new CommandHook(parts);
        }

        public String describe() { return "command " + String.join(" ", command); }

        public List<String> argv(String message) {
            List<String> argv = new ArrayList<>(command);
            argv.add(message);
            return argv;
        }
    }

    public record Outcome(boolean delivered, List<String> lines) {}

    private final NetskyPaths paths;
    private final List<Notifier> notifiers;
    private final Map<String, String> env;

    public Escalator(NetskyPaths paths, List<Notifier> notifiers, Map<String, String> env) {
        this.paths = paths;
        this.notifiers = List.copyOf(notifiers);
        this.env = env;
    }

    /** {@code [netsky <UTC %Y-%m-%dT%H:%M:%SZ>] <subject>}, then a blank line and the body if any. */
    public static String message(Instant now, String subject, String body) {
        String head = "[netsky " + Timestamps.utcSeconds(now) + "] " + subject;
        return body == null || body.isBlank() ? head : head + "\n\n" + body;
    }

    public Outcome escalate(String subject, String body) {
        if (subject == null || subject.isBlank()) throw new NetskyException("escalate needs a subject: netsky escalate \"<subject>\" [body]");
        String msg = message(Instant.now(), subject, body);
        List<String> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (notifiers.isEmpty()) {
            errors.add("no notifier configured");
        }
        for (Notifier n : notifiers) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                String err;
                try {
                    err = switch (n) {
                        case ProcessNotifier p -> {
                            Map<String, String> childEnv = new java.util.HashMap<>(env);
                            childEnv.put("NETSKY_ESCALATE_SUBJECT", subject);
                            var r = BoundedProcess.run(p.argv(msg), ATTEMPT_TIMEOUT, childEnv, null, null);
                            yield r.ok() ? null : "exit " + r.exitCode() + ": " + r.stderr().strip();
                        }
                        case Mail m -> {
                            m.sender().send(m.to(), "[netsky] " + subject, msg);
                            yield null;
                        }
                    };
                } catch (Exception e) {
                    err = e.getMessage();
                }
                if (err == null) {
                    lines.add("sent via " + n.describe() + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
                    return new Outcome(true, lines);
                }
                err = n.describe() + " attempt " + attempt + ": " + err;
                errors.add(err);
                lines.add("failed: " + err);
            }
        }
        Path marker = writeFailure(subject, errors);
        lines.add("wrote " + marker);
        return new Outcome(false, lines);
    }

    private Path writeFailure(String subject, List<String> errors) {
        Path state = paths.ensureDir(paths.stateDir());
        Path marker = state.resolve("escalate-failed-" + Instant.now().getEpochSecond());
        String text = "escalation failed at " + Timestamps.rfc3339Now() + "\nsubject: " + subject + "\n" + String.join("\n", errors) + "\n";
        try {
            Files.writeString(marker, text);
            Path err = paths.ensureDir(paths.logsDir()).resolve("escalate.err");
            Files.writeString(err, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new NetskyException("escalation failed and so did writing its marker " + marker + ": " + e.getMessage());
        }
        return marker;
    }

    /** Notifiers from config: iMessage on macOS when a handle is set, plus the command hook when set. */
    public static List<Notifier> configured(String imessageHandle, String notifyCommand, boolean macos) {
        List<Notifier> out = new ArrayList<>();
        if (macos && imessageHandle != null && !imessageHandle.isBlank()) out.add(new IMessage(imessageHandle.strip()));
        if (notifyCommand != null && !notifyCommand.isBlank()) out.add(CommandHook.parse(notifyCommand));
        return out;
    }
}
