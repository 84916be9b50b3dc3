package ai.netsky.cli;

import ai.netsky.core.ConfigKey;
import ai.netsky.core.NetskyException;
import ai.netsky.io.access.AccessList;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessState;
import ai.netsky.io.access.AccessStore;
import ai.netsky.io.imessage.ChatDb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netsky io access [imessage|email|calendar] allow|deny|list|check [<entry>…]}: the
 * owner-edited allowlists of the owner I/O sources (imessage when the source is omitted).
 */
@Command(name = "access", mixinStandardHelpOptions = true,
        description = {"Manage the allowlists of the owner channels (file mode 0600 in a 0700 directory under ~/.config/netsky-io/).",
                "  allow <entry>... add handles / addresses (@domain allowed) / calendar names; with none, the owner's from netsky.toml",
                "  deny <entry>...  remove entries",
                "  list             print the entries",
                "  check            show the file, whether it is open or fails closed (exit 1) and, for imessage, the chats it resolves to",
                "The source defaults to imessage. A missing, unreadable or corrupt list makes every tool of that source fail closed."},
        customSynopsis = "netsky io access [imessage|email|calendar] (allow|deny) <entry>... | list | check [--json]")
public final class IoAccessCommand implements Runnable {
    private final CliContext ctx;

    IoAccessCommand(CliContext ctx) { this.ctx = ctx; }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "<word>", description = "[source] verb [entries...]")
    List<String> words = new ArrayList<>();

    @Option(names = "--json", description = "Print list/check as one JSON report.")
    boolean json;

    private static final String CMD = "io access";

    @Override
    public void run() {
        List<String> w = new ArrayList<>(words);
        AccessSource source = AccessSource.parse(w.get(0)).map(s -> {
            w.remove(0);
            return s;
        }).orElse(AccessSource.IMESSAGE);
        if (w.isEmpty()) throw usage("missing verb: allow, deny, list or check");
        String verb = w.remove(0);
        AccessStore store = AccessStore.forEnv(source, ctx.env());
        switch (verb) {
            case "allow" -> allow(source, store, w);
            case "deny" -> {
                if (w.isEmpty()) throw usage("deny needs at least one " + source.noun());
                List<String> removed = store.deny(w);
                if (removed.isEmpty()) Ui.line(ctx.out(), CMD, "nothing to remove from the " + source.id() + " allowlist (" + store.file() + ")");
                else Ui.line(ctx.out(), CMD, "denied " + String.join(", ", removed) + " for " + source.id() + " (" + store.file() + ")");
            }
            case "list" -> list(source, store, w);
            case "check" -> check(source, store, w);
            default -> throw usage("unknown verb '" + verb + "'; use allow, deny, list or check");
        }
    }

    private CommandLine.ParameterException usage(String msg) {
        return new CommandLine.ParameterException(spec.commandLine(), msg);
    }

    private void allow(AccessSource source, AccessStore store, List<String> entries) {
        if (entries.isEmpty()) {
            ConfigKey owner = switch (source) {
                case IMESSAGE -> ConfigKey.OWNER_IMESSAGE;
                case EMAIL -> ConfigKey.OWNER_EMAIL;
                case CALENDAR -> null;
            };
            Optional<String> v = owner == null ? Optional.empty() : ctx.config().string(owner);
            if (v.isEmpty()) {
                throw usage("allow needs at least one " + source.noun() + (owner == null ? "" : " (or set " + owner.key() + " in netsky.toml)"));
            }
            entries = List.of(v.get());
        }
        List<String> added = store.allow(entries);
        if (added.isEmpty()) Ui.line(ctx.out(), CMD, "already allowed for " + source.id() + " (" + store.file() + ")");
        else Ui.line(ctx.out(), CMD, "allowed " + String.join(", ", added) + " for " + source.id() + " (" + store.file() + ")");
    }

    private void list(AccessSource source, AccessStore store, List<String> rest) {
        if (!rest.isEmpty()) throw usage("list takes no entries");
        AccessState s = store.load();
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("source", source.id());
            data.put("file", store.file().toString());
            data.put("allow_from", s instanceof AccessState.Open o ? o.list().allowFrom() : List.of());
            ctx.out().println(JsonReport.render(CMD, s instanceof AccessState.Open ? "ok" : "closed", s instanceof AccessState.Closed c ? c.reason() : "", data));
            return;
        }
        switch (s) {
            case AccessState.Open o -> o.list().allowFrom().forEach(ctx.out()::println);
            case AccessState.Closed c -> Ui.line(ctx.err(), CMD, c.reason());
        }
    }

    private void check(AccessSource source, AccessStore store, List<String> rest) {
        if (!rest.isEmpty()) throw usage("check takes no entries");
        AccessState s = store.load();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", source.id());
        data.put("file", store.file().toString());
        List<String> lines = new ArrayList<>();
        lines.add("file: " + store.file());
        if (s instanceof AccessState.Open o) {
            AccessList l = o.list();
            data.put("allow_from", l.allowFrom());
            lines.add("allow_from: " + (l.allowFrom().isEmpty() ? "(none)" : String.join(", ", l.allowFrom())));
            if (source == AccessSource.IMESSAGE) {
                data.put("self_chat_id", l.selfChatId().orElse(null));
                data.put("self_handles", l.selfHandles());
                lines.add("self chat: " + l.selfChatId().orElse("(none)") + "; self handles: " + (l.selfHandles().isEmpty() ? "(none)" : String.join(", ", l.selfHandles())));
                try (ChatDb db = ChatDb.open(ChatDb.defaultPath(ctx.env()))) {
                    Set<String> handles = new LinkedHashSet<>(l.handles());
                    handles.addAll(db.selfHandles());
                    Set<String> chats = new LinkedHashSet<>();
                    l.selfChatId().ifPresent(chats::add);
                    chats.addAll(db.dmChatsWith(handles));
                    data.put("chats", List.copyOf(chats));
                    lines.add("chats in " + db.file() + ": " + (chats.isEmpty() ? "(none yet — no DM with these handles)" : String.join(", ", chats)));
                } catch (NetskyException noDb) {
                    lines.add("chat.db: " + noDb.getMessage());
                }
            }
        }
        if (json) {
            ctx.out().println(JsonReport.render(CMD, s instanceof AccessState.Open ? "ok" : "closed", s instanceof AccessState.Closed c ? c.reason() : "open", data));
            if (s instanceof AccessState.Closed c) throw new NetskyException(c.reason());
            return;
        }
        lines.forEach(line -> Ui.line(ctx.out(), CMD, line));
        if (s instanceof AccessState.Closed c) throw new NetskyException(c.reason());
        Ui.line(ctx.out(), CMD, source.id() + " allowlist is open (" + ((AccessState.Open) s).list().allowFrom().size() + " entries)");
    }
}
