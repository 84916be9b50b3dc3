package ai.netsky.watchdog;

import ai.netsky.core.BoundedProcess;
import ai.netsky.core.NetskyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OS failsafe that runs {@code netsky watchdog tick} every 120 s independently of the ticker
 * session (spec watchdog.md §5): a macOS LaunchAgent or a systemd user service + timer. Install and
 * uninstall are idempotent; the unit files are the source of truth, the service manager is asked to
 * load them and its answer is reported, never assumed.
 */
public sealed interface OsTimer permits OsTimer.Systemd, OsTimer.Launchd {
    int INTERVAL_S = 120;
    String LAUNCHD_LABEL = "dev.dkdc.netsky-watchdog";
    String SYSTEMD_UNIT = "netsky-watchdog";
    String OUT_LOG = "/tmp/netsky-watchdog.out.log";
    String ERR_LOG = "/tmp/netsky-watchdog.err.log";

    /** What install/uninstall/status found or did, one line per fact. */
    record Report(boolean installed, boolean active, List<String> lines) {}

    String name();

    List<Path> files();

    Report install();

    Report uninstall();

    Report status();

    static OsTimer forThisOs(Path home, String netskyBin, Map<String, String> env) {
        String os = System.getProperty("os.name", "").toLowerCase();
        return os.contains("mac") ? new Launchd(home, netskyBin, env) : new Systemd(home, netskyBin, env);
    }

    /** Linux: {@code ~/.config/systemd/user/netsky-watchdog.{service,timer}}. */
    record Systemd(Path home, String netskyBin, Map<String, String> env) implements OsTimer {
        public String name() { return "systemd"; }

        public Path dir() { return home.resolve(".config/systemd/user"); }

        public Path service() { return dir().resolve(SYSTEMD_UNIT + ".service"); }

        public Path timer() { return dir().resolve(SYSTEMD_UNIT + ".timer"); }

        public List<Path> files() { return List.of(service(), timer()); }

        public String serviceText() {
            return "[Unit]\n"
                    + "Description=netsky watchdog tick (failsafe driver beside the netsky-ticker session)\n\n"
                    + "[Service]\n"
                    + "Type=oneshot\n"
                    + "ExecStart=" + systemdQuote(netskyBin) + " watchdog tick\n"
                    + "Environment=" + systemdQuote("HOME=" + home) + "\n"
                    + "Environment=" + systemdQuote("PATH=" + env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin")) + "\n"
                    + "StandardOutput=append:" + OUT_LOG + "\n"
                    + "StandardError=append:" + ERR_LOG + "\n"
                    // Bounded below the interval so a wedged pass can never stack up behind itself.
                    + "TimeoutStartSec=" + (INTERVAL_S - 10) + "\n";
        }

        public String timerText() {
            return "[Unit]\n"
                    + "Description=run netsky watchdog tick every " + INTERVAL_S + " s\n\n"
                    + "[Timer]\n"
                    + "OnBootSec=" + INTERVAL_S + "\n"
                    + "OnUnitActiveSec=" + INTERVAL_S + "\n"
                    + "AccuracySec=5s\n"
                    + "Persistent=true\n\n"
                    + "[Install]\n"
                    + "WantedBy=timers.target\n";
        }

        public Report install() {
            List<String> lines = new ArrayList<>();
            lines.add(writeIfChanged(service(), serviceText()));
            lines.add(writeIfChanged(timer(), timerText()));
            var reload = systemctl("daemon-reload");
            if (reload == null || !reload.ok()) {
                lines.add("warning: systemctl --user is not usable here (" + why(reload) + "); the timer files are in place but not active."
                        + " Fix: log in with a systemd user session and run `systemctl --user enable --now " + SYSTEMD_UNIT + ".timer`"
                        + " (and `loginctl enable-linger $USER`), or add the crontab line: */2 * * * * " + netskyBin + " watchdog tick");
                return new Report(true, false, lines);
            }
            var enable = systemctl("enable", "--now", SYSTEMD_UNIT + ".timer");
            lines.add(enable.ok() ? "enabled and started " + SYSTEMD_UNIT + ".timer" : "warning: enabling the timer failed: " + enable.stderr().strip());
            return new Report(true, enable.ok(), lines);
        }

        public Report uninstall() {
            List<String> lines = new ArrayList<>();
            var disable = systemctl("disable", "--now", SYSTEMD_UNIT + ".timer");
            if (disable != null && disable.ok()) lines.add("disabled " + SYSTEMD_UNIT + ".timer");
            for (Path f : files()) lines.add(delete(f));
            systemctl("daemon-reload");
            return new Report(false, false, lines);
        }

        public Report status() {
            boolean installed = Files.isRegularFile(service()) && Files.isRegularFile(timer());
            var active = systemctl("is-active", SYSTEMD_UNIT + ".timer");
            boolean isActive = active != null && active.ok() && active.stdout().strip().equals("active");
            List<String> lines = new ArrayList<>();
            lines.add((installed ? "installed: " : "not installed: ") + service() + ", " + timer());
            lines.add("timer " + (isActive ? "active" : "not active (" + (active == null ? "systemctl unavailable" : active.stdout().strip() + active.stderr().strip()) + ")"));
            return new Report(installed, isActive, lines);
        }

        private BoundedProcess.Result systemctl(String... args) {
            List<String> argv = new ArrayList<>(List.of("systemctl", "--user"));
            argv.addAll(List.of(args));
            try {
                return BoundedProcess.run(argv, Duration.ofSeconds(15), Map.of("HOME", home.toString()), null, null);
            } catch (NetskyException missing) {
                return null;
            }
        }

        /** systemd's quoting: double quotes, with backslash and double quote escaped, % doubled. */
        static String systemdQuote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
        }
    }

    /** macOS: {@code ~/Library/LaunchAgents/dev.dkdc.netsky-watchdog.plist}. */
    record Launchd(Path home, String netskyBin, Map<String, String> env) implements OsTimer {
        public String name() { return "launchd"; }

        public Path plist() { return home.resolve("Library/LaunchAgents/" + LAUNCHD_LABEL + ".plist"); }

        public List<Path> files() { return List.of(plist()); }

        public String plistText() {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                    + "<plist version=\"1.0\">\n<dict>\n"
                    + "  <key>Label</key><string>" + LAUNCHD_LABEL + "</string>\n"
                    + "  <key>ProgramArguments</key>\n  <array>\n"
                    + "    <string>" + xml(netskyBin) + "</string>\n    <string>watchdog</string>\n    <string>tick</string>\n"
                    + "  </array>\n"
                    + "  <key>StartInterval</key><integer>" + INTERVAL_S + "</integer>\n"
                    + "  <key>RunAtLoad</key><true/>\n"
                    + "  <key>StandardOutPath</key><string>" + OUT_LOG + "</string>\n"
                    + "  <key>StandardErrorPath</key><string>" + ERR_LOG + "</string>\n"
                    + "  <key>EnvironmentVariables</key>\n  <dict>\n"
                    + "    <key>HOME</key><string>" + xml(home.toString()) + "</string>\n"
                    + "    <key>PATH</key><string>" + xml(env.getOrDefault("PATH", "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin")) + "</string>\n"
                    + "  </dict>\n"
                    + "</dict>\n</plist>\n";
        }

        public Report install() {
            List<String> lines = new ArrayList<>();
            lines.add(writeIfChanged(plist(), plistText()));
            String domain = "gui/" + uid();
            launchctl("bootout", domain + "/" + LAUNCHD_LABEL); // reload: a changed plist only applies after bootout
            var boot = launchctl("bootstrap", domain, plist().toString());
            if (boot == null || !boot.ok()) {
                lines.add("warning: launchctl could not load the job (" + why(boot) + "). Fix: launchctl bootstrap " + domain + " " + plist());
                return new Report(true, false, lines);
            }
            lines.add("loaded " + LAUNCHD_LABEL + " into " + domain);
            return new Report(true, true, lines);
        }

        public Report uninstall() {
            List<String> lines = new ArrayList<>();
            var out = launchctl("bootout", "gui/" + uid() + "/" + LAUNCHD_LABEL);
            if (out != null && out.ok()) lines.add("unloaded " + LAUNCHD_LABEL);
            lines.add(delete(plist()));
            return new Report(false, false, lines);
        }

        public Report status() {
            boolean installed = Files.isRegularFile(plist());
            var list = launchctl("print", "gui/" + uid() + "/" + LAUNCHD_LABEL);
            boolean loaded = list != null && list.ok();
            return new Report(installed, loaded, List.of((installed ? "installed: " : "not installed: ") + plist(),
                    "job " + (loaded ? "loaded" : "not loaded (" + why(list) + ")")));
        }

        private BoundedProcess.Result launchctl(String... args) {
            List<String> argv = new ArrayList<>(List.of("launchctl"));
            argv.addAll(List.of(args));
            try {
                return BoundedProcess.run(argv, Duration.ofSeconds(15));
            } catch (NetskyException missing) {
                return null;
            }
        }

        private static String uid() {
            try {
                return BoundedProcess.run(List.of("id", "-u"), Duration.ofSeconds(5)).stdout().strip();
            } catch (NetskyException e) {
                return "501";
            }
        }

        static String xml(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    }

    private static String why(BoundedProcess.Result r) {
        return r == null ? "not installed" : "exit " + r.exitCode() + ": " + (r.stderr() + r.stdout()).strip();
    }

    /** Idempotent write: unchanged content is left alone; otherwise tmp + atomic rename. */
    static String writeIfChanged(Path file, String text) {
        try {
            if (Files.isRegularFile(file) && Files.readString(file).equals(text)) return "unchanged " + file;
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return "wrote " + file;
        } catch (IOException e) {
            throw new NetskyException("cannot write " + file + ": " + e.getMessage() + "; check permissions of " + file.getParent());
        }
    }

    static String delete(Path file) {
        try {
            return Files.deleteIfExists(file) ? "removed " + file : "already absent " + file;
        } catch (IOException e) {
            throw new NetskyException("cannot remove " + file + ": " + e.getMessage());
        }
    }
}
