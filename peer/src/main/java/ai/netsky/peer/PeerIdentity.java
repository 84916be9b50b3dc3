package ai.netsky.peer;

import ai.netsky.core.NetskyException;
import ai.netsky.core.NetskyPaths;
import io.nats.client.NKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;

/**
 * This host's identity: an NKey (Ed25519) user keypair whose seed lives in a 0600 file under a 0700
 * directory. The public key ({@code U…}, 56 characters) is what other hosts put in their allowlist.
 */
public final class PeerIdentity {
    /** Overrides which key file is used (like netsky's {@code NETSKY_IROH_KEYFILE}). */
    public static final String ENV_KEYFILE = "NETSKY_PEER_KEYFILE";

    static {
        // jnats signs with Bouncy Castle, whose native loader unpacks a library into a temp dir and trips the JDK's
        // restricted-method warning on every run. Its pure-Java Ed25519 is fast enough for one signature per envelope.
        if (System.getProperty("org.bouncycastle.native.cpu_variant") == null) System.setProperty("org.bouncycastle.native.cpu_variant", "java");
    }

    private final NKey key;
    private final String publicKey;
    private final Path file;

    private PeerIdentity(NKey key, Path file) {
        this.key = key;
        this.file = file;
        try {
            this.publicKey = new String(key.getPublicKey());
        } catch (GeneralSecurityException | IOException e) {
            throw new NetskyException("cannot derive the public key from " + file + ": " + e.getMessage() + "; move the file aside to make a new one", e);
        }
    }

    /** {@code $NETSKY_PEER_KEYFILE}, else {@code ~/.config/netsky-io/peer/host.nkey}. */
    public static Path keyFile(NetskyPaths paths, Map<String, String> env) {
        String override = env.get(ENV_KEYFILE);
        if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath().normalize();
        return PeerAllowlist.configDir(paths).resolve("peer").resolve("host.nkey");
    }

    /** Loads the keypair, creating it on first use. */
    public static PeerIdentity loadOrCreate(NetskyPaths paths, Path file) {
        try {
            return load(file);
        } catch (MissingKey absent) {
            return create(paths, file);
        }
    }

    /** Loads an existing keypair; refuses a key file others can read (fail closed). */
    public static PeerIdentity load(Path file) {
        try {
            if (Files.isSymbolicLink(file)) {
                throw new NetskyException("refusing key file " + file + ": it is a symlink; keep the real file there");
            }
            Set<PosixFilePermission> perms = posixPerms(file);
            if (perms != null && perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new NetskyException("refusing key file " + file + ": mode " + PosixFilePermissions.toString(perms)
                        + " lets other users read the secret key; chmod 600 " + file);
            }
            String seed = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return new PeerIdentity(NKey.fromSeed(seed.toCharArray()), file);
        } catch (NoSuchFileException e) {
            throw new MissingKey(file);
        } catch (IllegalArgumentException | IllegalStateException bad) {
            throw new NetskyException("key file " + file + " does not hold an NKey seed (" + bad.getMessage() + "); move it aside to make a new one", bad);
        } catch (IOException e) {
            throw new NetskyException("cannot read key file " + file + ": " + e.getMessage() + "; check its permissions", e);
        }
    }

    private static PeerIdentity create(NetskyPaths paths, Path file) {
        try {
            NKey key = NKey.createUser(new SecureRandom());
            paths.ensureDir(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, new String(key.getSeed()) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp); // create-new: two first runs racing keep one key
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
                return load(file);
            }
            Files.deleteIfExists(tmp);
            return new PeerIdentity(key, file);
        } catch (GeneralSecurityException | IOException e) {
            throw new NetskyException("cannot create the host key " + file + ": " + e.getMessage() + "; check permissions of " + file.getParent(), e);
        }
    }

    private static Set<PosixFilePermission> posixPerms(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException noPosix) {
            return null;
        }
    }

    public String publicKey() { return publicKey; }
    public Path file() { return file; }

    public byte[] sign(byte[] input) {
        try {
            return key.sign(input);
        } catch (GeneralSecurityException | IOException e) {
            throw new NetskyException("cannot sign with " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} over {@code input} was made by the holder of {@code publicKey}. */
    public static boolean verify(String publicKey, byte[] input, byte[] signature) {
        try {
            return NKey.fromPublicKey(publicKey.toCharArray()).verify(input, signature);
        } catch (IllegalArgumentException | IllegalStateException | GeneralSecurityException | IOException bad) {
            return false;
        }
    }

    /** A well-formed public user NKey ({@code U…}, with a valid checksum). */
    public static boolean isValidPublicKey(String s) {
        if (s == null || s.length() != 56 || s.charAt(0) != 'U') return false;
        try {
            return NKey.isValidPublicUserKey(s.toCharArray());
        } catch (IllegalArgumentException | IllegalStateException bad) {
            return false;
        }
    }

    static final class MissingKey extends NetskyException {
        MissingKey(Path file) {
            super("no host key at " + file + "; run `netsky io peer whoami` to create one");
        }
    }
}
