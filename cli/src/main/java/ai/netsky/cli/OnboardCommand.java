package ai.netsky.cli;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.ConfigWriter;
import ai.netsky.core.NetskyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netsky onboard}: the owner's first run. Asks (or takes as flags) the owner's name, iMessage
 * handle, email and notify command, writes them into {@code netsky.toml} through {@link ConfigWriter}
 * (validated, comments kept), then runs the {@code setup} checks and says what to do next. Answers
 * already configured are offered as defaults, so running it again changes only what you change.
 *
 * <p>netsky 0.1.7's {@code bin/onboard} wrote {@code ~/.config/netsky/owner.toml}; here the owner
 * fields live in {@code netsky.toml [owner]}, the one file {@code config} manages.
 */
@Command(name = "onboard", mixinStandardHelpOptions = true,
        description = {"First-run owner setup: who you are and how netsky reaches you (written to netsky.toml [owner]),",
                "then the setup checks. Prompts on stdin; an empty answer keeps the current value."})
public final class OnboardCommand implements Callable<Integer> {
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final CliContext ctx;

    OnboardCommand(CliContext ctx) { this.ctx = ctx; }

    @Option(names = "--name", paramLabel = "<name>", description = "How agents address you.")
    String name;

    @Option(names = "--imessage", paramLabel = "<handle>", description = "Your iMessage handle (+15551234567 or an Apple ID email), for escalations on macOS.")
    String imessage;

    @Option(names = "--email", paramLabel = "<address>", description = "Your email address.")
    String email;

    @Option(names = "--notify-command", paramLabel = "<program>", description = "A program run with each escalation as its last argument (any OS).")
    String notifyCommand;

    @Option(names = "--no-input", description = "Do not prompt; apply only the flags given.")
    boolean noInput;

    @Option(names = "--json", description = "Print the JSON report (implies --no-input).")
    boolean json;

    private record Field(ConfigKey key, String question, String flag) {}

    @Override
    public Integer call() {
        Config config = ctx.config();
        var file = config.file();
        List<Field> fields = List.of(
                new Field(ConfigKey.OWNER_NAME, "Your name (how agents address you)", name),
                new Field(ConfigKey.OWNER_IMESSAGE, "iMessage handle for escalations (+15551234567 or Apple ID; macOS)", imessage),
                new Field(ConfigKey.OWNER_EMAIL, "Email address", email),
                new Field(ConfigKey.NOTIFY_COMMAND, "Notify command (program run with each escalation as its last argument)", notifyCommand));
        boolean prompt = !(noInput || json);
        BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
        List<Map<String, Object>> written = new ArrayList<>();
        if (prompt) Ui.line(ctx.out(), "onboard", "owner details go to " + file + " (empty answer keeps the value in brackets)");
        for (Field f : fields) {
            String current = config.raw(f.key().key()).map(String::valueOf).orElse(null);
            String answer = f.flag();
            while (answer == null && prompt) {
                ctx.out().print(f.question() + (current == null ? "" : " [" + current + "]") + ": ");
                ctx.out().flush();
                String line = readLine(in);
                if (line == null) {
                    prompt = false; // stdin ended: keep the rest as they are
                    break;
                }
                if (line.isBlank()) break;
                try {
                    validate(f.key(), line.strip());
                    answer = line.strip();
                } catch (NetskyException bad) {
                    Ui.line(ctx.out(), "onboard", "not accepted: " + bad.getMessage());
                }
            }
            if (answer == null) continue;
            validate(f.key(), answer);
            var change = ConfigWriter.set(file, f.key(), answer, ctx.env());
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("key", f.key().key());
            w.put("value", change.value());
            w.put("changed", change.changed());
            written.add(w);
            if (!json) Ui.line(ctx.out(), "onboard", (change.changed() ? "set " : "kept ") + f.key().key() + " = " + f.key().literal(change.value()));
        }
        // A fresh context: the checks must see what was just written.
        CliContext after = new CliContext(ctx.env(), ctx.out(), ctx.err(), ctx.in());
        var results = new SetupChecks(after).run();
        boolean failed = results.stream().anyMatch(c -> c.level() == SetupChecks.Level.FAIL);
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("file", file.toString());
            data.put("written", written);
            data.put("checks", results.stream().map(SetupChecks.Check::json).toList());
            ctx.out().println(JsonReport.render("onboard", SetupChecks.status(results), written.size() + " owner field(s) written; " + SetupChecks.summary(results), data));
            return failed ? 1 : 0;
        }
        SetupChecks.print(ctx, "onboard", results);
        Ui.line(ctx.out(), "onboard", failed
                ? "fix the failures above (or choose another runtime: netsky config set netsky.runtime stub), then: netsky up"
                : "next: netsky up   (then netsky status; netsky attach 0 to talk to agent0)");
        return failed ? 1 : 0;
    }

    static void validate(ConfigKey key, String value) {
        if (value.contains("\n")) throw new NetskyException(key.key() + " must be one line");
        if (key.equals(ConfigKey.OWNER_IMESSAGE) && !PHONE.matcher(value).matches() && !EMAIL.matcher(value).matches()) {
            throw new NetskyException("'" + value + "' is not an iMessage handle; use +<country code><number> (e.g. +15551234567) or an Apple ID email");
        }
        if (key.equals(ConfigKey.OWNER_EMAIL) && !EMAIL.matcher(value).matches()) {
            throw new NetskyException("'" + value + "' is not an email address; use e.g. alex@example.com");
        }
        key.check(value);
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
