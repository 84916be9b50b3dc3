package ai.netsky.peer;

import ai.netsky.core.EnvelopeRules;
import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import ai.netsky.core.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The peer allowlist: label → public NKey, in {@code ~/.config/netsky-io/peers.toml} (spec io.md
 * §6.6), one table per peer. The file fails closed: if any entry is malformed the whole list is
 * refused, so a typo can never widen who is accepted. A key may appear under one label only, so the
 * label a receiver rewrites {@code from} to is unambiguous.
 */
public final class PeerAllowlist {
    /** Overrides the allowlist file (spec: "plus an env override"). */
    public static final String ENV_PEERS_FILE = "NETSKY_PEERS_FILE";

    public record Peer(String label, String publicKey, String added) {}

    private final Path file;
    private final Map<String, Peer> byLabel;

    private PeerAllowlist(Path file, Map<String, Peer> byLabel) {
        this.file = file;
        this.byLabel = Collections.unmodifiableMap(byLabel);
    }

    /** {@code ~/.config/netsky-io}. */
    public static Path configDir(NetskyPaths paths) {
        return paths.home().resolve(".config").resolve("netsky-io");
    }

    public static Path file(NetskyPaths paths, Map<String, String> env) {
        String override = env.get(ENV_PEERS_FILE);
        if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath().normalize();
        return configDir(paths).resolve("peers.toml");
    }

    /** Reads the list; an absent file is an empty list. */
    public static PeerAllowlist load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return new PeerAllowlist(file, new LinkedHashMap<>());
        } catch (IOException e) {
            throw new NetskyException("cannot read the peer allowlist " + file + ": " + e.getMessage() + "; check its permissions", e);
        }
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            var err = toml.errors().get(0);
            throw new NetskyException(file + ":" + err.position().line() + ": malformed TOML: " + err.getMessage()
                    + "; fix the line or edit the list with `netsky io peer add|remove`");
        }
        Map<String, Peer> peers = new LinkedHashMap<>();
        Map<String, String> labelOfKey = new LinkedHashMap<>();
        for (String label : toml.keySet()) {
            if (!EnvelopeRules.isValidPeerLabel(label)) {
                throw new NetskyException(file + ": invalid peer label '" + label
                        + "': use lowercase letters, digits and '-' (at most 63); fix or remove the entry");
            }
            if (!toml.isTable(label)) throw new NetskyException(file + ": entry '" + label + "' must be a table with key = \"U…\"; fix it");
            TomlTable t = toml.getTable(label);
            String key = t.isString("key") ? t.getString("key") : null;
            if (!PeerIdentity.isValidPublicKey(key)) {
                throw new NetskyException(file + ": peer '" + label + "' has no valid public key (key = \"U…\", 56 characters); fix or remove it");
            }
            String other = labelOfKey.putIfAbsent(key, label);
            if (other != null) {
                throw new NetskyException(file + ": peers '" + other + "' and '" + label + "' have the same key; remove one");
            }
            peers.put(label, new Peer(label, key, t.isString("added") ? t.getString("added") : null));
        }
        return new PeerAllowlist(file, peers);
    }

    public Path file() { return file; }
    public Map<String, Peer> peers() { return byLabel; }
    public Optional<Peer> byLabel(String label) { return Optional.ofNullable(byLabel.get(label)); }

    public Optional<Peer> byKey(String publicKey) {
        return byLabel.values().stream().filter(p -> p.publicKey().equals(publicKey)).findAny();
    }

    /** A copy with {@code label → key} added (or its key replaced). */
    public PeerAllowlist with(String label, String publicKey) {
        if (!EnvelopeRules.isValidPeerLabel(label)) {
            throw new NetskyException("invalid peer label '" + label + "': use lowercase letters, digits and '-' (at most 63), e.g. hostb");
        }
        if (!PeerIdentity.isValidPublicKey(publicKey)) {
            throw new NetskyException("invalid public key '" + publicKey + "': expected the 56-character U… key that "
                    + "`netsky io peer whoami` prints on the other host");
        }
        Optional<Peer> holder = byKey(publicKey).filter(p -> !p.label().equals(label));
        if (holder.isPresent()) {
            throw new NetskyException("key " + publicKey + " is already allowed as '" + holder.get().label()
                    + "'; remove that entry first (`netsky io peer remove " + holder.get().label() + "`)");
        }
        Map<String, Peer> next = new LinkedHashMap<>(byLabel);
        next.put(label, new Peer(label, publicKey, Timestamps.rfc3339Now()));
        return new PeerAllowlist(file, next);
    }

    public PeerAllowlist without(String label) {
        Map<String, Peer> next = new LinkedHashMap<>(byLabel);
        next.remove(label);
        return new PeerAllowlist(file, next);
    }

    /** Writes the list atomically, mode 0600, in a 0700 directory. */
    public void save(NetskyPaths paths) {
        StringBuilder b = new StringBuilder("# netsky peer allowlist: one table per peer label; key = its public NKey.\n")
                .append("# Edit with `netsky io peer add|remove`. Envelopes signed by any other key are refused.\n");
        for (Peer p : byLabel.values()) {
            b.append('\n').append('[').append(p.label()).append("]\n")
                    .append("key = \"").append(p.publicKey()).append("\"\n");
            if (p.added() != null) b.append("added = \"").append(p.added()).append("\"\n");
        }
        try {
            paths.ensureDir(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new NetskyException("cannot write the peer allowlist " + file + ": " + e.getMessage() + "; check permissions of " + file.getParent(), e);
        }
    }
}
