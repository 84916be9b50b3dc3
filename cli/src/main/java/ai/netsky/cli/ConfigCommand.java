package ai.netsky.cli;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.core.ConfigWriter;
import ai.netsky.core.NetskyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky config get|set|unset|list|path}: read and change {@code netsky.toml} with the
 * precedence every command uses (flag > env > file > default). Writes go through
 * {@link ConfigWriter}: validated, comments and ordering kept, re-parsed, replaced atomically.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Read and change netsky.toml (in the netsky root: $NETSKY_DIR, else ~/netsky).",
                "Precedence: command-line flag > environment variable > netsky.toml > built-in default."},
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Unset.class,
                ConfigCommand.ListKeys.class, ConfigCommand.PathOf.class})
public final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Path file(CliContext ctx) {
        return ctx.netskyRoot().resolve(Config.FILE_NAME);
    }

    static ConfigKey known(String key) {
        return ConfigKey.find(key).orElseThrow(() -> unknown(key));
    }

    static NetskyException unknown(String key) {
        return new NetskyException("unknown config key '" + key + "'; known keys: "
                + String.join(", ", ConfigKey.ALL.stream().map(ConfigKey::key).toList()) + " (`netsky config list` shows them all)");
    }

    /** One row of {@code config list}: a resolved key, or a file key netsky's config does not interpret itself. */
    record Row(String key, String value, String source, String envVar, String problem, String help) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("value", value);
            m.put("source", source);
            m.put("env", envVar);
            m.put("problem", problem);
            m.put("help", help);
            return m;
        }
    }

    static Row row(Config config, ConfigKey k) {
        var r = config.resolve(k, null);
        String problem = null;
        if (r.value() != null) {
            try {
                k.check(r.value());
            } catch (NetskyException bad) {
                problem = bad.getMessage() + (r.source() == Config.Source.ENV ? " (from " + k.envVar() + ")" : "");
            }
        }
        String source = r.value() == null ? "unset" : r.source().name().toLowerCase(Locale.ROOT);
        return new Row(k.key(), r.value(), source, k.envVar(), problem, k.help());
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the effective value of <key> (exit 1 when it has no value).")
    static final class Get implements Callable<Integer> {
        private final CliContext ctx;

        Get(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<key>", description = "Dotted key, e.g. owner.name or tuning.hang_threshold_s.")
        String key;

        @Option(names = "--json", description = "Print the JSON report (key, value, source, env).")
        boolean json;

        public Integer call() {
            Config config = ctx.config();
            Row row = ConfigKey.find(key).map(k -> row(config, k)).orElseGet(() -> config.raw(key)
                    .filter(v -> !(v instanceof org.tomlj.TomlTable))
                    .map(v -> new Row(key, String.valueOf(v), "file", null, null, null))
                    .orElseThrow(() -> unknown(key)));
            if (json) {
                ctx.out().println(JsonReport.render("config", row.problem() == null ? "green" : "yellow",
                        row.key() + " = " + row.value() + " (" + row.source() + ")", row.json()));
            } else if (row.value() != null) {
                ctx.out().println(row.value());
            }
            if (row.value() == null) {
                if (!json) Ui.error(ctx.err(), row.key() + " is not set and has no default; set it with `netsky config set " + row.key() + " <value>`"
                        + (row.envVar() == null ? "" : " or export " + row.envVar()));
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Write <key> = <value> into netsky.toml (validated; comments and ordering kept).",
                    "Idempotent: setting the current value changes nothing."})
    static final class Set implements Runnable {
        private final CliContext ctx;

        Set(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<key>", description = "A key `netsky config list` shows (e.g. owner.imessage).")
        String key;

        @Parameters(index = "1", paramLabel = "<value>", description = "Checked against the key's type and allowed values.")
        String value;

        public void run() {
            ConfigKey k = known(key);
            var change = ConfigWriter.set(file(ctx), k, value, ctx.env());
            if (change.changed()) {
                Ui.line(ctx.out(), "config", "set " + k.key() + " = " + k.literal(change.value()) + " in " + change.file()
                        + (change.previous() == null ? "" : " (was " + change.previous() + ")"));
            } else {
                Ui.line(ctx.out(), "config", k.key() + " is already " + k.literal(change.value()) + " in " + change.file() + "; nothing changed");
            }
            warnIfOverridden(ctx, k);
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Remove <key> from netsky.toml, so the environment or the default applies (idempotent).")
    static final class Unset implements Runnable {
        private final CliContext ctx;

        Unset(CliContext ctx) { this.ctx = ctx; }

        @Parameters(index = "0", paramLabel = "<key>")
        String key;

        public void run() {
            ConfigKey k = known(key);
            var change = ConfigWriter.unset(file(ctx), k, ctx.env());
            Ui.line(ctx.out(), "config", change.changed()
                    ? "removed " + k.key() + " from " + change.file() + " (was " + change.previous() + ")"
                    : k.key() + " is not in " + change.file() + "; nothing changed");
            warnIfOverridden(ctx, k);
        }
    }

    static void warnIfOverridden(CliContext ctx, ConfigKey k) {
        if (k.envVar() != null && ctx.env().get(k.envVar()) != null && !ctx.env().get(k.envVar()).isBlank()) {
            Ui.line(ctx.err(), "config", "note: " + k.envVar() + "=" + ctx.env().get(k.envVar())
                    + " is set in the environment (or ~/.env) and wins over netsky.toml");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Every key: its effective value and where it came from (env, file, default, or unset).",
                    "Keys in the file that belong to a module (peers, channels.email, …) are listed as file."})
    static final class ListKeys implements Runnable {
        private final CliContext ctx;

        ListKeys(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json", description = "Print the JSON report.")
        boolean json;

        public void run() {
            Config config = ctx.config();
            List<Row> rows = new ArrayList<>();
            for (ConfigKey k : ConfigKey.ALL) rows.add(row(config, k));
            config.document().ifPresent(doc -> doc.dottedKeySet().stream().sorted()
                    .filter(dk -> ConfigKey.find(dk).isEmpty() && !dk.equals("schema_version"))
                    .forEach(dk -> rows.add(new Row(dk, String.valueOf(doc.get(dk)), "file", null, null, "read by the module that owns it"))));
            long problems = rows.stream().filter(r -> r.problem() != null).count();
            if (json) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("file", config.file().toString());
                data.put("file_present", config.present());
                data.put("keys", rows.stream().map(Row::json).toList());
                ctx.out().println(JsonReport.render("config", problems == 0 ? "green" : "yellow",
                        rows.size() + " key(s), " + problems + " problem(s)", data));
                return;
            }
            int w = rows.stream().mapToInt(r -> r.key().length()).max().orElse(10);
            int vw = Math.min(40, rows.stream().mapToInt(r -> String.valueOf(r.value()).length()).max().orElse(5));
            ctx.out().println("# " + config.file() + (config.present() ? "" : " (absent: defaults apply)"));
            ctx.out().printf("%-" + w + "s  %-" + vw + "s  %-7s  %s%n", "KEY", "VALUE", "SOURCE", "ENV");
            for (Row r : rows) {
                ctx.out().printf("%-" + w + "s  %-" + vw + "s  %-7s  %s%s%n", r.key(), r.value() == null ? "-" : r.value(), r.source(),
                        r.envVar() == null ? "" : r.envVar(), r.problem() == null ? "" : "   ! " + r.problem());
            }
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true, description = "Print the path of netsky.toml (whether or not it exists).")
    static final class PathOf implements Runnable {
        private final CliContext ctx;

        PathOf(CliContext ctx) { this.ctx = ctx; }

        @Option(names = "--json", description = "Print the JSON report (path, exists).")
        boolean json;

        public void run() {
            Path f = file(ctx);
            if (json) {
                ctx.out().println(JsonReport.render("config", "green", f.toString(), Map.of("path", f.toString(), "exists", Files.isRegularFile(f))));
            } else {
                ctx.out().println(f);
            }
        }
    }
}
