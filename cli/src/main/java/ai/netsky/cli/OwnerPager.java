package ai.netsky.cli;

import ai.netsky.core.Config;
import ai.netsky.core.ConfigKey;
import ai.netsky.io.access.AccessSource;
import ai.netsky.io.access.AccessStore;
import ai.netsky.io.email.Email;
import ai.netsky.io.email.EmailAccount;
import ai.netsky.watchdog.Escalator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The owner-paging floor as configured, in one place for `escalate`, the watchdog and `morning
 * --send`: iMessage via osascript on macOS (owner.imessage), the owner.notify_command hook (any OS),
 * and email to owner.email through the first `[[channels.email.accounts]]` account (any OS).
 */
final class OwnerPager {
    private OwnerPager() {}

    static List<Escalator.Notifier> notifiers(CliContext ctx) {
        Config cfg = ctx.config();
        boolean macos = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        List<Escalator.Notifier> out = new ArrayList<>(Escalator.configured(cfg.string(ConfigKey.OWNER_IMESSAGE, null),
                cfg.string(ConfigKey.NOTIFY_COMMAND, null), macos));
        String ownerEmail = cfg.string(ConfigKey.OWNER_EMAIL, null);
        if (ownerEmail != null && !ownerEmail.isBlank()) {
            List<EmailAccount> accounts = EmailAccount.fromConfig(cfg);
            if (!accounts.isEmpty()) {
                Email email = new Email(AccessStore.forEnv(AccessSource.EMAIL, ctx.env()), accounts, ctx.env());
                out.add(new Escalator.Mail(ownerEmail.strip(), email::notifyOwner));
            }
        }
        return out;
    }

    static Escalator escalator(CliContext ctx) {
        return new Escalator(ctx.paths(), notifiers(ctx), ctx.env());
    }
}
