package ai.netsky.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where netsky keeps its state: everything under {@code $HOME/.netsky}. HOME is read from the
 * environment, never from {@code user.home}, because tests (and users with sudo -E) isolate by
 * setting HOME and the JVM ignores it.
 */
public record NetskyPaths(Path home) {

    public NetskyPaths {
        home = home.toAbsolutePath().normalize();
    }

    public static NetskyPaths fromEnv() {
        return fromEnv(System.getenv());
    }

    public static NetskyPaths fromEnv(Map<String, String> env) {
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            throw new NetskyException("netsky requires a home directory: HOME is not set; export HOME=/path/to/home");
        }
        return new NetskyPaths(Path.of(home));
    }

    public Path netskyHome() { return home.resolve(".netsky"); }
    public Path stateDir() { return netskyHome().resolve("state"); }
    public Path logsDir() { return netskyHome().resolve("logs"); }
    public Path promptsDir() { return stateDir().resolve("prompts"); }
    public Path mcpConfigDir() { return stateDir().resolve("mcp"); }
    public Path metaDb() { return netskyHome().resolve("meta.db"); }
    public Path backupsDir() { return netskyHome().resolve("backups"); }
    /** {@code MCP_CHANNEL_DIR_PREFIX}: the root under which every agent's channel directory lives. */
    public Path channelsRoot() { return netskyHome().resolve("channels").resolve("agent"); }
    public Path channelDir(AgentId agent) { return channelsRoot().resolve(agent.name()); }
    public Path inbox(AgentId agent) { return channelDir(agent).resolve("inbox"); }
    public Path processed(AgentId agent) { return channelDir(agent).resolve("processed"); }
    public Path quarantine(AgentId agent) { return channelDir(agent).resolve("quarantine"); }
    /** The cross-machine bridge's directory: {@code channels/peer} (outbox, sent, quarantine). */
    public Path peerChannelDir() { return netskyHome().resolve("channels").resolve("peer"); }
    /** Envelopes addressed to {@code <agent>@<peer>} wait here until the peer bridge publishes them. */
    public Path peerOutbox() { return peerChannelDir().resolve("outbox"); }
    /** {@code agent_state_file(agent, suffix)} = {@code state/<agent>-<suffix>}. */
    public Path agentStateFile(AgentId agent, String suffix) { return stateDir().resolve(agent.name() + "-" + suffix); }
    public Path agentinfinityReadyMarker() { return stateDir().resolve("agentinfinity-ready"); }

    /**
     * The netsky root, the workspace agents run in (holds {@code netsky.toml}, {@code AGENTS.md}):
     * {@code $NETSKY_DIR} if set, else {@code $HOME/netsky}. Deliberately independent of the cwd.
     */
    public static Path netskyRoot(Map<String, String> env) {
        String dir = env.get(Names.ENV_NETSKY_DIR);
        if (dir != null && !dir.isBlank()) return Path.of(dir).toAbsolutePath().normalize();
        return fromEnv(env).home().resolve("netsky");
    }

    /** Creates {@code dir} (and parents) with mode 0700, refusing symlinks between home and it. */
    public Path ensureDir(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.startsWith(home)) assertNoSymlinkUnder(home, abs);
        createPrivateDirs(abs);
        return abs;
    }

    static void createPrivateDirs(Path dir) {
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
            Path parent = dir.getParent();
            if (parent != null) createPrivateDirs(parent);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new NetskyException("cannot create directory " + dir + ": a file or symlink is in the way; move it aside");
                }
            } catch (UnsupportedOperationException noPosix) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new NetskyException("cannot create directory " + dir + ": " + e.getMessage() + "; check permissions of its parent", e);
        }
    }

    /**
     * netsky's {@code assert_no_symlink_under}: refuses {@code path} when any component between the
     * trusted {@code root} and it (including {@code path} itself) is a symlink, or when {@code path}
     * escapes {@code root} (e.g. through {@code ../}). Components that do not exist yet are fine.
     */
    public static void assertNoSymlinkUnder(Path root, Path path) {
        Path r = root.toAbsolutePath().normalize();
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(r)) {
            throw new NetskyException("refusing path " + path + ": it is outside " + root + "; use a path under it");
        }
        Path cur = r;
        for (Path part : r.relativize(p)) {
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                throw new NetskyException("refusing to use " + path + ": " + cur
                        + " is a symlink; netsky never writes through symlinks under " + root + " — replace it with a real directory");
            }
            if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) return;
        }
    }
}
