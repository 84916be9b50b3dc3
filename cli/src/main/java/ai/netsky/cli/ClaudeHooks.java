package ai.netsky.cli;

import ai.netsky.core.AtomicFiles;
import ai.netsky.core.EnvelopeCodec;
import ai.netsky.core.HookStatus;
import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Claude Code hooks netsky relies on for status signals, in the agents' project settings
 * {@code <netsky root>/.claude/settings.json}: one {@code command} hook per event that runs
 * {@code <netsky> hooks emit <Event>}. Merging keeps every other setting and every hook that is not
 * netsky's; netsky's own entries are recognised by their command, so install is idempotent and
 * uninstall removes exactly what install added.
 */
final class ClaudeHooks {
    static final int TIMEOUT_S = 10;
    private static final Pattern OURS = Pattern.compile(".*netsky\\S*'?\\s+hooks\\s+emit\\s+(\\w+)\\s*$");

    /** Per event: the netsky command found (null = missing) and whether it is the one install would write. */
    record EventState(String event, String found, String wanted) {
        boolean ok() { return wanted.equals(found); }

        String state() { return found == null ? "missing" : ok() ? "installed" : "stale"; }
    }

    private final Path root;
    private final String command;

    ClaudeHooks(Path root, String netskyBin) {
        this.root = root;
        this.command = shellQuote(netskyBin) + " hooks emit ";
    }

    String commandFor(HookStatus.Event e) { return command + e.name(); }

    /**
     * For {@code up}: makes sure the hooks are in place before agents start (idempotent, writes only
     * when something changed). Never fails the caller: a problem becomes a warning line with the fix.
     */
    static void ensure(CliContext ctx, String cmd) {
        try {
            var h = new ClaudeHooks(ctx.netskyRoot(), ctx.netskyBin());
            var before = h.read();
            var after = h.install(before);
            if (after.equals(before)) return;
            h.write(after);
            Ui.line(ctx.out(), cmd, "installed the Claude Code status hooks in " + h.settingsFile());
        } catch (NetskyException e) {
            Ui.line(ctx.err(), cmd, "warning: Claude Code status hooks not installed: " + e.getMessage());
        }
    }

    /**
     * {@code <root>/.claude/settings.json}. {@code .claude} may be a symlink (init can point it at
     * {@code .agents}) but only to a directory inside the root; the file itself must not be a symlink.
     */
    Path settingsFile() {
        Path dir = root.resolve(".claude");
        if (Files.isSymbolicLink(dir)) {
            try {
                Path real = dir.toRealPath();
                if (!real.startsWith(root.toRealPath())) {
                    throw new NetskyException("refusing " + dir + ": it is a symlink to " + real + ", outside the netsky root " + root
                            + "; point it inside the root or replace it with a directory");
                }
            } catch (IOException dangling) {
                throw new NetskyException("refusing " + dir + ": it is a dangling symlink; remove it or create its target");
            }
        }
        return dir.resolve("settings.json");
    }

    ObjectNode read() {
        Path f = settingsFile();
        String text;
        try {
            text = Files.readString(f);
        } catch (NoSuchFileException absent) {
            return EnvelopeCodec.mapper().createObjectNode();
        } catch (IOException e) {
            throw new NetskyException("cannot read " + f + ": " + e.getMessage() + "; fix its permissions");
        }
        JsonNode n;
        try {
            n = text.isBlank() ? EnvelopeCodec.mapper().createObjectNode() : EnvelopeCodec.mapper().readTree(text);
        } catch (RuntimeException bad) {
            throw new NetskyException("cannot parse " + f + ": " + firstLine(bad.getMessage()) + "; fix the JSON (netsky left the file untouched)");
        }
        if (!(n instanceof ObjectNode o)) throw new NetskyException(f + " is not a JSON object; fix it (netsky left the file untouched)");
        if (o.has("hooks") && !o.get("hooks").isObject()) throw new NetskyException(f + ": \"hooks\" is not an object; fix it (netsky left the file untouched)");
        return o;
    }

    List<EventState> status(ObjectNode settings) {
        List<EventState> out = new ArrayList<>();
        for (HookStatus.Event e : HookStatus.Event.values()) {
            String found = null;
            for (JsonNode item : ourItems(settings, e)) {
                found = item.path("command").asString();
                if (found.equals(commandFor(e))) break;
            }
            out.add(new EventState(e.name(), found, commandFor(e)));
        }
        return out;
    }

    /** Returns the settings with netsky's hooks present exactly once each; untouched where already right. */
    ObjectNode install(ObjectNode settings) {
        ObjectNode s = settings.deepCopy();
        ObjectNode hooks = s.has("hooks") ? (ObjectNode) s.get("hooks") : s.putObject("hooks");
        for (HookStatus.Event e : HookStatus.Event.values()) {
            List<JsonNode> ours = ourItems(s, e);
            if (ours.size() == 1 && ours.get(0).path("command").asString().equals(commandFor(e))
                    && ours.get(0).path("timeout").asInt() == TIMEOUT_S) continue;
            removeOurs(hooks, e);
            ArrayNode groups = hooks.has(e.name()) && hooks.get(e.name()).isArray() ? (ArrayNode) hooks.get(e.name()) : hooks.putArray(e.name());
            ObjectNode item = groups.addObject().putArray("hooks").addObject();
            item.put("type", "command");
            item.put("command", commandFor(e));
            item.put("timeout", TIMEOUT_S);
        }
        return s;
    }

    ObjectNode uninstall(ObjectNode settings) {
        ObjectNode s = settings.deepCopy();
        if (!(s.get("hooks") instanceof ObjectNode hooks)) return s;
        for (HookStatus.Event e : HookStatus.Event.values()) {
            removeOurs(hooks, e);
            if (hooks.get(e.name()) instanceof ArrayNode a && a.isEmpty()) hooks.remove(e.name());
        }
        if (hooks.isEmpty()) s.remove("hooks");
        return s;
    }

    void write(ObjectNode settings) {
        Path f = settingsFile();
        try {
            Files.createDirectories(f.getParent());
        } catch (IOException e) {
            throw new NetskyException("cannot create " + f.getParent() + ": " + e.getMessage() + "; create the netsky root first (`netsky config path` shows it)");
        }
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new NetskyException("refusing to write " + f + ": it is not a regular file; move it aside");
        }
        // The layout Claude Code and editors write: 2-space indent, arrays one element per line, "key": value.
        var printer = new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER)).withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        AtomicFiles.replace(f, EnvelopeCodec.mapper().writer().with(printer).writeValueAsString(settings) + "\n");
    }

    private static List<JsonNode> ourItems(ObjectNode settings, HookStatus.Event e) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode groups = settings.path("hooks").path(e.name());
        for (JsonNode g : groups) {
            for (JsonNode item : g.path("hooks")) {
                if (isOurs(item, e)) out.add(item);
            }
        }
        return out;
    }

    private static boolean isOurs(JsonNode item, HookStatus.Event e) {
        var m = OURS.matcher(item.path("command").asString(""));
        return m.matches() && m.group(1).equals(e.name());
    }

    /** Drops netsky's items of event {@code e}, and groups left with no hooks. */
    private static void removeOurs(ObjectNode hooks, HookStatus.Event e) {
        if (!(hooks.get(e.name()) instanceof ArrayNode groups)) return;
        for (int gi = groups.size() - 1; gi >= 0; gi--) {
            if (!(groups.get(gi).get("hooks") instanceof ArrayNode items)) continue;
            boolean hadOurs = false;
            for (int ii = items.size() - 1; ii >= 0; ii--) {
                if (isOurs(items.get(ii), e)) {
                    items.remove(ii);
                    hadOurs = true;
                }
            }
            if (hadOurs && items.isEmpty()) groups.remove(gi);
        }
    }

    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_@%+=:,./-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static Map<String, Object> json(List<EventState> states) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (EventState s : states) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("state", s.state());
            e.put("command", s.found());
            e.put("wanted", s.wanted());
            m.put(s.event(), e);
        }
        return m;
    }

    private static String firstLine(String s) {
        return s == null ? "invalid JSON" : s.lines().findFirst().orElse(s);
    }
}
