package ai.netsky.io.email;

import ai.netsky.core.Config;
import ai.netsky.core.NetskyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * One mailbox from {@code netsky.toml}:
 *
 * <pre>
 * [[channels.email.accounts]]
 * name = "work"                        # id used by the tools (letters, digits, - and _)
 * address = "me@example.com"
 * username = "me@example.com"          # default: address
 * password_env = "NETSKY_EMAIL_WORK_PASSWORD"   # the secret stays in the environment / ~/.env
 * imap_host = "imap.example.com"       # imap_port 993, imap_security "ssl" | "starttls" | "none"
 * smtp_host = "smtp.example.com"       # smtp_port 465, smtp_security "ssl" | "starttls" | "none"
 * drafts_folder = "Drafts"             # archive_folder "Archive", trash_folder "Trash"
 * </pre>
 */
public record EmailAccount(String name, String address, String username, String passwordEnv,
                           String imapHost, int imapPort, Security imapSecurity,
                           String smtpHost, int smtpPort, Security smtpSecurity,
                           String inboxFolder, String draftsFolder, String archiveFolder, String trashFolder) {

    public enum Security { SSL, STARTTLS, NONE }

    public static final String KEY = "channels.email.accounts";

    public String password(Map<String, String> env) {
        if (passwordEnv == null) return null;
        String p = env.get(passwordEnv);
        if (p == null || p.isEmpty()) {
            throw new NetskyException("email account '" + name + "': environment variable " + passwordEnv
                    + " (its password_env) is not set; export it, or put it in ~/.env");
        }
        return p;
    }

    public static List<EmailAccount> fromConfig(Config config) {
        Optional<Object> raw = config.raw(KEY);
        if (raw.isEmpty()) return List.of();
        if (!(raw.get() instanceof TomlArray arr)) throw bad(config, "", "must be an array of tables ([[" + KEY + "]])");
        List<EmailAccount> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            if (!(arr.get(i) instanceof TomlTable t)) throw bad(config, "[" + i + "]", "must be a table");
            String where = "[" + i + "]";
            String name = str(config, t, where, "name", null);
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,40}")) throw bad(config, where + ".name", "must be 1–40 letters, digits, - or _");
            if (out.stream().anyMatch(a -> a.name.equals(name))) throw bad(config, where + ".name", "'" + name + "' is used twice");
            String address = str(config, t, where, "address", null);
            if (address == null || !address.contains("@")) throw bad(config, where + ".address", "must be an email address");
            String imapHost = str(config, t, where, "imap_host", null);
            String smtpHost = str(config, t, where, "smtp_host", null);
            if (imapHost == null || smtpHost == null) throw bad(config, where, "needs imap_host and smtp_host");
            Security imapSec = security(config, t, where, "imap_security");
            Security smtpSec = security(config, t, where, "smtp_security");
            out.add(new EmailAccount(name, address.strip().toLowerCase(Locale.ROOT), str(config, t, where, "username", address.strip()),
                    str(config, t, where, "password_env", null),
                    imapHost, port(config, t, where, "imap_port", imapSec == Security.SSL ? 993 : 143), imapSec,
                    smtpHost, port(config, t, where, "smtp_port", smtpSec == Security.SSL ? 465 : 587), smtpSec,
                    str(config, t, where, "inbox_folder", "INBOX"), str(config, t, where, "drafts_folder", "Drafts"),
                    str(config, t, where, "archive_folder", "Archive"), str(config, t, where, "trash_folder", "Trash")));
        }
        return List.copyOf(out);
    }

    private static String str(Config c, TomlTable t, String where, String key, String dflt) {
        if (!t.contains(key)) return dflt;
        if (!t.isString(key)) throw bad(c, where + "." + key, "must be a string");
        return t.getString(key);
    }

    private static int port(Config c, TomlTable t, String where, String key, int dflt) {
        if (!t.contains(key)) return dflt;
        if (!t.isLong(key) || t.getLong(key) < 1 || t.getLong(key) > 65535) throw bad(c, where + "." + key, "must be a port number");
        return (int) (long) t.getLong(key);
    }

    private static Security security(Config c, TomlTable t, String where, String key) {
        String s = str(c, t, where, key, "ssl");
        try {
            return Security.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(c, where + "." + key, "must be \"ssl\", \"starttls\" or \"none\"");
        }
    }

    private static NetskyException bad(Config c, String where, String why) {
        return new NetskyException(c.file() + ": " + KEY + where + " " + why + "; fix netsky.toml (see docs/commands.md, io serve --source email)");
    }
}
