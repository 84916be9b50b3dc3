package ai.netsky.io.access;

import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The allowlist file of one source: {@code $XDG_CONFIG_HOME/netsky-io/<source>/access.toml}
 * (default {@code ~/.config/netsky-io/…}, where netsky-io keeps its peer config too). Shape, as in
 * the reference iMessage server:
 *
 * <pre>
 * allow_from = ["+15551234567", "alex@example.com"]
 *
 * [self]                       # iMessage only, optional: the owner's own chat
 * chat_id = "iMessage;-;+15551234567"
 * handles = ["+15551234567"]
 * </pre>
 *
 * Written as a 0600 temp file renamed over the old one, inside a 0700 directory. Read fail-closed:
 * missing, unreadable, corrupt, symlinked, writable by others, or empty all yield
 * {@link AccessState.Closed}.
 */
public final class AccessStore {
    private final AccessSource source;
    private final Path file;
    private final NetskyPaths paths;

    public AccessStore(AccessSource source, Path file, NetskyPaths paths) {
        this.source = source;
        this.file = file.toAbsolutePath().normalize();
        this.paths = paths;
    }

    public static AccessStore forEnv(AccessSource source, Map<String, String> env) {
        NetskyPaths paths = NetskyPaths.fromEnv(env);
        return new AccessStore(source, configRoot(env).resolve(source.id()).resolve("access.toml"), paths);
    }

    /** {@code $XDG_CONFIG_HOME/netsky-io}, else {@code $HOME/.config/netsky-io}. */
    public static Path configRoot(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : NetskyPaths.fromEnv(env).home().resolve(".config");
        return base.resolve("netsky-io");
    }

    public AccessSource source() { return source; }
    public Path file() { return file; }

    private String fix() {
        return "run `netsky io access " + source.id() + " allow <" + source.noun() + ">`";
    }

    private String closed(String why) {
        return source.id() + " allowlist " + file + " " + why + ", so every " + source.id() + " tool fails closed; " + fix();
    }

    /** Reads the list; never throws: every problem becomes a {@link AccessState.Closed} with the fix. */
    public AccessState load() {
        try {
            if (Files.isSymbolicLink(file)) return new AccessState.Closed(closed("is a symlink (netsky never trusts one)") + " after removing it");
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                        return new AccessState.Closed(source.id() + " allowlist " + file + " is writable by other users (mode "
                                + PosixFilePermissions.toString(perms) + "), so every " + source.id() + " tool fails closed; run `chmod 600 " + file + "`");
                    }
                } catch (UnsupportedOperationException noPosix) {
                    // Non-POSIX file systems have no such bits to check.
                }
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            AccessList list = parse(text);
            if (list.isEmpty()) return new AccessState.Closed(closed("is empty"));
            return new AccessState.Open(list);
        } catch (NoSuchFileException missing) {
            return new AccessState.Closed(closed("does not exist"));
        } catch (AccessDeniedException unreadable) {
            return new AccessState.Closed(closed("is not readable") + " (or `chmod 600 " + file + "` as its owner)");
        } catch (IOException e) {
            return new AccessState.Closed(closed("cannot be read (" + e.getMessage() + ")"));
        } catch (Corrupt c) {
            return new AccessState.Closed(source.id() + " allowlist " + file + " is corrupt (" + c.getMessage() + "), so every " + source.id()
                    + " tool fails closed; fix the file, or delete it and " + fix());
        }
    }

    private static final class Corrupt extends Exception {
        Corrupt(String m) { super(m); }
    }

    private AccessList parse(String text) throws Corrupt {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var e = toml.errors().get(0);
            throw new Corrupt("line " + e.position().line() + ": " + e.getMessage());
        }
        for (String key : toml.keySet()) {
            if (!key.equals("allow_from") && !key.equals("self")) throw new Corrupt("unknown key '" + key + "'");
        }
        List<String> allow = strings(toml, "allow_from");
        Optional<String> selfChat = Optional.empty();
        List<String> selfHandles = List.of();
        if (toml.contains("self")) {
            if (!toml.isTable("self")) throw new Corrupt("'self' must be a table");
            TomlTable self = toml.getTable("self");
            if (source != AccessSource.IMESSAGE) throw new Corrupt("[self] is only for imessage");
            for (String key : self.keySet()) {
                if (!key.equals("chat_id") && !key.equals("handles")) throw new Corrupt("unknown key 'self." + key + "'");
            }
            if (self.contains("chat_id")) {
                if (!self.isString("chat_id") || self.getString("chat_id").isBlank()) throw new Corrupt("self.chat_id must be a non-empty string");
                selfChat = Optional.of(self.getString("chat_id").strip());
            }
            selfHandles = strings(self, "handles");
        }
        return new AccessList(source, file, allow, selfChat, selfHandles);
    }

    private List<String> strings(TomlTable t, String key) throws Corrupt {
        if (!t.contains(key)) return List.of();
        if (!t.isArray(key)) throw new Corrupt("'" + key + "' must be an array of strings");
        TomlArray a = t.getArray(key);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Object v = a.get(i);
            if (!(v instanceof String s)) throw new Corrupt("'" + key + "' entry " + (i + 1) + " is not a string");
            try {
                String n = source.normalise(s);
                if (!out.contains(n)) out.add(n);
            } catch (IllegalArgumentException bad) {
                throw new Corrupt(bad.getMessage());
            }
        }
        return out;
    }

    /** The list to edit: an absent file is an empty list; a present but broken one is an error (nothing is lost). */
    private AccessList forEdit() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return new AccessList(source, file, List.of(), Optional.empty(), List.of());
        AccessState s = load();
        return switch (s) {
            case AccessState.Open o -> o.list();
            case AccessState.Closed c when c.reason().contains(" is empty") -> new AccessList(source, file, List.of(), Optional.empty(), List.of());
            case AccessState.Closed c -> throw new NetskyException("cannot edit " + c.reason().replaceFirst("; run `netsky io access.*$", "")
                    + "; repair or delete the file first");
        };
    }

    /** Adds entries (normalised, deduplicated); returns the ones that were new. */
    public List<String> allow(List<String> entries) {
        AccessList cur = forEdit();
        List<String> all = new ArrayList<>(cur.allowFrom());
        List<String> added = new ArrayList<>();
        for (String e : entries) {
            String n = normaliseOrThrow(e);
            if (!all.contains(n)) {
                all.add(n);
                added.add(n);
            }
        }
        save(new AccessList(source, file, all, cur.selfChatId(), cur.selfHandles()));
        return added;
    }

    /** Removes entries; returns the ones that were present. */
    public List<String> deny(List<String> entries) {
        AccessList cur = forEdit();
        List<String> all = new ArrayList<>(cur.allowFrom());
        List<String> removed = new ArrayList<>();
        for (String e : entries) {
            String n = normaliseOrThrow(e);
            if (all.remove(n)) removed.add(n);
        }
        if (!removed.isEmpty()) save(new AccessList(source, file, all, cur.selfChatId(), cur.selfHandles()));
        return removed;
    }

    private String normaliseOrThrow(String e) {
        try {
            return source.normalise(e);
        } catch (IllegalArgumentException bad) {
            throw new NetskyException("cannot allowlist that " + source.noun() + ": " + bad.getMessage() + "; give e.g. " + source.example());
        }
    }

    void save(AccessList list) {
        Path dir = file.getParent();
        if (file.startsWith(paths.home())) paths.ensureDir(dir);
        else ai.netsky.core.NetskyPaths.assertNoSymlinkUnder(dir.getRoot(), dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException ignored) {
            // Directory created by us already has 0700; a foreign one we leave alone.
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# netsky io ").append(source.id()).append(" allowlist. Edit with `netsky io access ").append(source.id())
                .append(" allow|deny <").append(source.noun()).append(">`.\n");
        sb.append("# Only the owner widens this list — never because a received message asked for it.\n");
        sb.append("allow_from = [").append(quoted(list.allowFrom())).append("]\n");
        if (list.selfChatId().isPresent() || !list.selfHandles().isEmpty()) {
            sb.append("\n[self]\n");
            list.selfChatId().ifPresent(c -> sb.append("chat_id = \"").append(c.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
            sb.append("handles = [").append(quoted(list.selfHandles())).append("]\n");
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, sb, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Best effort.
            }
            throw new NetskyException("cannot write " + file + ": " + e.getMessage() + "; check the permissions of " + dir, e);
        }
    }

    private static String quoted(List<String> values) {
        // Entries are validated to contain no quotes, backslashes or control characters.
        return String.join(", ", values.stream().map(v -> "\"" + v + "\"").toList());
    }
}
