package ai.netsky.io.email;

import ai.netsky.core.NetskyException;
import ai.netsky.core.Timestamps;
import ai.netsky.io.access.AccessDenied;
import ai.netsky.io.access.AccessList;
import ai.netsky.io.access.AccessStore;
import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The email source's behaviour over IMAP (read, drafts, archive, trash, watch) and SMTP (send,
 * reply), independent of MCP. The allowlist gates both directions: a message is visible only when
 * its sender is allowlisted (or it is the account's own mail to allowlisted recipients, e.g. a
 * draft), and nothing is sent unless every recipient is allowlisted.
 */
public final class Email {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    static final int SCAN_WINDOW = 500;
    static final int MAX_BODY_CHARS = 64 * 1024;
    static final int TIMEOUT_MS = 15_000;

    private final AccessStore access;
    private final List<EmailAccount> accounts;
    private final Map<String, String> env;
    private final Map<String, Long> watermarks = new HashMap<>();

    public Email(AccessStore access, List<EmailAccount> accounts, Map<String, String> env) {
        this.access = access;
        this.accounts = List.copyOf(accounts);
        this.env = Map.copyOf(env);
    }

    public List<EmailAccount> accounts() { return accounts; }

    EmailAccount account(String name) {
        if (accounts.isEmpty()) {
            throw new NetskyException("no email accounts are configured; add a [[channels.email.accounts]] table to netsky.toml (see docs/commands.md)");
        }
        if (name == null || name.isBlank()) return accounts.get(0);
        return accounts.stream().filter(a -> a.name().equals(name.strip())).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no email account '" + name + "'; configured: " + String.join(", ", accounts.stream().map(EmailAccount::name).toList())));
    }

    // ---- sessions ----

    private Session session(EmailAccount a) {
        Properties p = new Properties();
        String imap = a.imapSecurity() == EmailAccount.Security.SSL ? "imaps" : "imap";
        String smtp = a.smtpSecurity() == EmailAccount.Security.SSL ? "smtps" : "smtp";
        p.put("mail.store.protocol", imap);
        p.put("mail.transport.protocol", smtp);
        for (String proto : List.of(imap, smtp)) {
            p.put("mail." + proto + ".connectiontimeout", String.valueOf(TIMEOUT_MS));
            p.put("mail." + proto + ".timeout", String.valueOf(TIMEOUT_MS));
            p.put("mail." + proto + ".writetimeout", String.valueOf(TIMEOUT_MS));
        }
        p.put("mail." + imap + ".host", a.imapHost());
        p.put("mail." + imap + ".port", String.valueOf(a.imapPort()));
        p.put("mail." + smtp + ".host", a.smtpHost());
        p.put("mail." + smtp + ".port", String.valueOf(a.smtpPort()));
        p.put("mail." + smtp + ".auth", String.valueOf(a.passwordEnv() != null));
        p.put("mail." + smtp + ".from", a.address());
        if (a.imapSecurity() == EmailAccount.Security.SSL) p.put("mail.imaps.ssl.checkserveridentity", "true");
        if (a.smtpSecurity() == EmailAccount.Security.SSL) p.put("mail.smtps.ssl.checkserveridentity", "true");
        if (a.imapSecurity() == EmailAccount.Security.STARTTLS) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        if (a.smtpSecurity() == EmailAccount.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    private Store store(EmailAccount a) throws MessagingException {
        Store s = session(a).getStore();
        s.connect(a.imapHost(), a.imapPort(), a.username(), a.password(env));
        return s;
    }

    private void transport(EmailAccount a, Message m) throws MessagingException {
        Session s = session(a);
        try (Transport t = s.getTransport()) {
            String pw = a.password(env);
            if (pw == null) t.connect();
            else t.connect(a.smtpHost(), a.smtpPort(), a.username(), pw);
            m.saveChanges();
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    @FunctionalInterface
    private interface MailWork<T> {
        T run() throws MessagingException, IOException;
    }

    private <T> T mail(EmailAccount a, String what, MailWork<T> work) {
        try {
            return work.run();
        } catch (MessagingException | IOException e) {
            throw new NetskyException("email account '" + a.name() + "': cannot " + what + ": " + e.getMessage()
                    + "; check the account's hosts, ports, security and password in netsky.toml", e);
        }
    }

    // ---- allowlist rules ----

    private AccessList list() {
        return access.load().require();
    }

    static List<String> addresses(Address[] as) {
        if (as == null) return List.of();
        return Arrays.stream(as).map(x -> x instanceof InternetAddress ia ? ia.getAddress() : x.toString())
                .filter(x -> x != null).map(x -> x.toLowerCase(Locale.ROOT)).toList();
    }

    static List<String> recipients(Message m) throws MessagingException {
        List<String> all = new ArrayList<>();
        all.addAll(addresses(m.getRecipients(Message.RecipientType.TO)));
        all.addAll(addresses(m.getRecipients(Message.RecipientType.CC)));
        all.addAll(addresses(m.getRecipients(Message.RecipientType.BCC)));
        return all;
    }

    /** Sender allowlisted, or the account's own mail (a draft, a sent copy) addressed only to allowlisted people. */
    static boolean visible(AccessList list, EmailAccount a, Message m) throws MessagingException {
        List<String> from = addresses(m.getFrom());
        if (from.isEmpty()) return false;
        if (from.stream().allMatch(list::allows)) return true;
        if (from.stream().allMatch(f -> f.equals(a.address()))) {
            List<String> to = recipients(m);
            return !to.isEmpty() && to.stream().allMatch(list::allows);
        }
        return false;
    }

    private static void requireRecipients(AccessList list, List<String> to) {
        if (to.isEmpty()) throw new IllegalArgumentException("no recipients; give at least one address in to");
        for (String r : to) {
            if (!list.allows(r)) {
                throw new AccessDenied("recipient " + r + " is not allowlisted (fail-closed); only the owner can allow it, with `netsky io access email allow " + r + "`");
            }
        }
    }

    private static InternetAddress[] parseAddresses(List<String> raw) {
        List<InternetAddress> out = new ArrayList<>();
        for (String r : raw == null ? List.<String>of() : raw) {
            try {
                InternetAddress ia = new InternetAddress(r.strip(), true);
                out.add(ia);
            } catch (AddressException e) {
                throw new IllegalArgumentException("'" + r + "' is not an email address: " + e.getMessage());
            }
        }
        return out.toArray(InternetAddress[]::new);
    }

    // ---- message rendering ----

    private static Map<String, Object> summary(MailId id, Message m) throws MessagingException {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", id.toString());
        out.put("account", id.account());
        out.put("folder", id.folder());
        out.put("from", String.join(", ", addresses(m.getFrom())));
        out.put("to", String.join(", ", recipients(m)));
        out.put("subject", m.getSubject() == null ? "" : m.getSubject());
        var date = m.getSentDate() != null ? m.getSentDate() : m.getReceivedDate();
        out.put("ts", date == null ? null : Timestamps.rfc3339(date.toInstant()));
        return out;
    }

    static String text(Part p) throws MessagingException, IOException {
        if (p.isMimeType("text/plain")) return String.valueOf(p.getContent());
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            String html = null;
            for (int i = 0; i < mp.getCount(); i++) {
                Part part = mp.getBodyPart(i);
                if (part.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) return String.valueOf(part.getContent());
                String inner = part.isMimeType("multipart/*") ? text(part) : part.isMimeType("text/html") ? text(part) : null;
                if (inner != null && !inner.isEmpty() && html == null) html = inner;
            }
            return html == null ? "" : html;
        }
        if (p.isMimeType("text/html")) {
            return String.valueOf(p.getContent()).replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "").replaceAll("<[^>]+>", " ")
                    .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replaceAll("[ \\t]+", " ").strip();
        }
        return "";
    }

    private static String cap(String s) {
        return s.length() <= MAX_BODY_CHARS ? s : s.substring(0, MAX_BODY_CHARS) + "\n[… truncated at " + MAX_BODY_CHARS + " characters]";
    }

    // ---- tools ----

    public Map<String, Object> listMessages(String accountName, String folderName, String query, Integer limit) {
        AccessList list = list();
        EmailAccount a = account(accountName);
        String folder = folderName == null || folderName.isBlank() ? a.inboxFolder() : folderName.strip();
        int n = limit == null ? DEFAULT_LIMIT : Math.max(1, Math.min(MAX_LIMIT, limit));
        String q = query == null || query.isBlank() ? null : query.toLowerCase(Locale.ROOT);
        return mail(a, "list " + folder, () -> {
            try (Store s = store(a)) {
                Folder f = s.getFolder(folder);
                if (!f.exists()) throw new IllegalArgumentException("folder '" + folder + "' does not exist in account '" + a.name() + "'");
                f.open(Folder.READ_ONLY);
                try {
                    int count = f.getMessageCount();
                    List<Map<String, Object>> rows = new ArrayList<>();
                    if (count > 0) {
                        Message[] window = f.getMessages(Math.max(1, count - SCAN_WINDOW + 1), count);
                        FetchProfile fp = new FetchProfile();
                        fp.add(FetchProfile.Item.ENVELOPE);
                        fp.add(UIDFolder.FetchProfileItem.UID);
                        f.fetch(window, fp);
                        UIDFolder uf = (UIDFolder) f;
                        for (int i = window.length - 1; i >= 0 && rows.size() < n; i--) {
                            Message m = window[i];
                            if (!visible(list, a, m)) continue;
                            if (q != null) {
                                String hay = ((m.getSubject() == null ? "" : m.getSubject()) + " " + String.join(" ", addresses(m.getFrom()))).toLowerCase(Locale.ROOT);
                                if (!hay.contains(q)) continue;
                            }
                            rows.add(summary(new MailId(a.name(), folder, uf.getUID(m)), m));
                        }
                    }
                    return Map.of("messages", rows);
                } finally {
                    f.close(false);
                }
            }
        });
    }

    /** Runs {@code work} on the visible message {@code id}; a message that is not visible is reported as not found. */
    private <T> T withMessage(String rawId, int mode, String what, MessageWork<T> work) {
        AccessList list = list();
        MailId id = MailId.parse(rawId);
        EmailAccount a = account(id.account());
        return mail(a, what, () -> {
            try (Store s = store(a)) {
                Folder f = s.getFolder(id.folder());
                if (!f.exists()) throw notFound(id);
                f.open(mode);
                boolean expunge = false;
                try {
                    Message m = ((UIDFolder) f).getMessageByUID(id.uid());
                    if (m == null || m.isExpunged() || !visible(list, a, m)) throw notFound(id);
                    Result<T> r = work.run(list, a, s, f, m);
                    expunge = r.expunge();
                    return r.value();
                } finally {
                    f.close(expunge);
                }
            }
        });
    }

    private record Result<T>(T value, boolean expunge) {}

    @FunctionalInterface
    private interface MessageWork<T> {
        Result<T> run(AccessList list, EmailAccount a, Store s, Folder f, Message m) throws MessagingException, IOException;
    }

    private static AccessDenied notFound(MailId id) {
        return new AccessDenied("message " + id + " not found or not from an allowlisted sender");
    }

    public Map<String, Object> readMessage(String id) {
        return withMessage(id, Folder.READ_ONLY, "read " + id, (list, a, s, f, m) -> {
            var out = summary(MailId.parse(id), m);
            out.put("text", cap(text(m)));
            return new Result<>(out, false);
        });
    }

    public Map<String, Object> send(String accountName, List<String> to, List<String> cc, String subject, String text) {
        AccessList list = list();
        EmailAccount a = account(accountName);
        InternetAddress[] toA = parseAddresses(to);
        InternetAddress[] ccA = parseAddresses(cc);
        List<String> all = new ArrayList<>(addresses(toA));
        all.addAll(addresses(ccA));
        requireRecipients(list, all);
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("text is empty; give the message body");
        return mail(a, "send", () -> {
            MimeMessage m = new MimeMessage(session(a));
            m.setFrom(new InternetAddress(a.address()));
            m.setRecipients(Message.RecipientType.TO, toA);
            if (ccA.length > 0) m.setRecipients(Message.RecipientType.CC, ccA);
            m.setSubject(subject == null ? "" : subject, "UTF-8");
            m.setText(text, "UTF-8");
            transport(a, m);
            return Map.of("sent", true, "to", all, "message_id", m.getMessageID());
        });
    }

    /**
     * netsky's own page to the owner (escalations, the morning briefing): the recipient is the
     * owner's configured address, never a model-chosen one, so the allowlist — which guards what an
     * agent may send — does not apply. Sent from the first configured account.
     */
    public void notifyOwner(String ownerAddress, String subject, String text) {
        EmailAccount a = account(null);
        InternetAddress[] to = parseAddresses(List.of(ownerAddress));
        mail(a, "send the owner notification", () -> {
            MimeMessage m = new MimeMessage(session(a));
            m.setFrom(new InternetAddress(a.address()));
            m.setRecipients(Message.RecipientType.TO, to);
            m.setSubject(subject, "UTF-8");
            m.setText(text, "UTF-8");
            transport(a, m);
            return null;
        });
    }

    public Map<String, Object> reply(String id, String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("text is empty; give the reply body");
        return withMessage(id, Folder.READ_ONLY, "reply to " + id, (list, a, s, f, m) -> {
            MimeMessage r = (MimeMessage) m.reply(false);
            r.setFrom(new InternetAddress(a.address()));
            r.setText(text, "UTF-8");
            // Reply-To can point anywhere: the actual recipients are checked, not the original sender.
            List<String> to = recipients(r);
            requireRecipients(list, to);
            transport(a, r);
            return new Result<>(Map.<String, Object>of("sent", true, "to", to, "in_reply_to", id), false);
        });
    }

    public Map<String, Object> createDraft(String accountName, List<String> to, String subject, String text, String inReplyToId) {
        AccessList list = list();
        EmailAccount a = account(accountName);
        InternetAddress[] toA = parseAddresses(to);
        requireRecipients(list, addresses(toA));
        String inReplyTo = null;
        String subj = subject == null ? "" : subject;
        if (inReplyToId != null && !inReplyToId.isBlank()) {
            Map<String, String> orig = withMessage(inReplyToId, Folder.READ_ONLY, "read " + inReplyToId, (l, acc, s, f, m) -> {
                String[] mid = m.getHeader("Message-ID");
                return new Result<>(Map.of("mid", mid == null ? "" : mid[0], "subject", m.getSubject() == null ? "" : m.getSubject()), false);
            });
            inReplyTo = orig.get("mid").isEmpty() ? null : orig.get("mid");
            if (subj.isEmpty()) subj = orig.get("subject").regionMatches(true, 0, "Re:", 0, 3) ? orig.get("subject") : "Re: " + orig.get("subject");
        }
        String finalSubject = subj;
        String finalInReplyTo = inReplyTo;
        return mail(a, "save a draft", () -> {
            MimeMessage m = new MimeMessage(session(a));
            m.setFrom(new InternetAddress(a.address()));
            m.setRecipients(Message.RecipientType.TO, toA);
            m.setSubject(finalSubject, "UTF-8");
            m.setText(text == null ? "" : text, "UTF-8");
            if (finalInReplyTo != null) {
                m.setHeader("In-Reply-To", finalInReplyTo);
                m.setHeader("References", finalInReplyTo);
            }
            m.setFlag(Flags.Flag.DRAFT, true);
            m.saveChanges();
            String messageId = m.getMessageID();
            try (Store s = store(a)) {
                Folder f = s.getFolder(a.draftsFolder());
                if (!f.exists()) f.create(Folder.HOLDS_MESSAGES);
                f.open(Folder.READ_WRITE);
                try {
                    f.appendMessages(new Message[] {m});
                    // Find the stored copy by its Message-ID: portable where UIDPLUS is missing.
                    Message[] found = f.search(new jakarta.mail.search.HeaderTerm("Message-ID", messageId));
                    long uid = found.length == 0 ? -1 : ((UIDFolder) f).getUID(found[found.length - 1]);
                    return Map.of("saved", true, "id", new MailId(a.name(), a.draftsFolder(), uid).toString());
                } finally {
                    f.close(false);
                }
            }
        });
    }

    public Map<String, Object> listDrafts(String accountName, Integer limit) {
        EmailAccount a = account(accountName);
        return listMessages(a.name(), a.draftsFolder(), null, limit);
    }

    public Map<String, Object> sendDraft(String id) {
        return withMessage(id, Folder.READ_WRITE, "send draft " + id, (list, a, s, f, m) -> {
            if (!f.getFullName().equals(a.draftsFolder()) && !f.getName().equals(a.draftsFolder())) {
                throw new IllegalArgumentException("message " + id + " is not in the drafts folder '" + a.draftsFolder() + "'");
            }
            MimeMessage out = new MimeMessage((MimeMessage) m);
            out.setFrom(new InternetAddress(a.address()));
            out.setFlag(Flags.Flag.DRAFT, false);
            List<String> to = recipients(out);
            requireRecipients(list, to);
            transport(a, out);
            m.setFlag(Flags.Flag.DELETED, true);
            return new Result<>(Map.<String, Object>of("sent", true, "to", to), true);
        });
    }

    public Map<String, Object> archive(String id) {
        return move(id, true);
    }

    public Map<String, Object> trash(String id) {
        return move(id, false);
    }

    private Map<String, Object> move(String id, boolean archive) {
        return withMessage(id, Folder.READ_WRITE, (archive ? "archive " : "trash ") + id, (list, a, s, f, m) -> {
            String targetName = archive ? a.archiveFolder() : a.trashFolder();
            Folder target = s.getFolder(targetName);
            if (!target.exists()) target.create(Folder.HOLDS_MESSAGES);
            // COPY + \Deleted + EXPUNGE works on every IMAP server (MOVE is an extension).
            f.copyMessages(new Message[] {m}, target);
            m.setFlag(Flags.Flag.DELETED, true);
            return new Result<>(Map.<String, Object>of(archive ? "archived" : "trashed", true, "id", id, "folder", targetName), true);
        });
    }

    // ---- watch ----

    /** One inbound message for the channel: who, what, and the id to answer with {@code reply}. */
    public record Inbound(String id, String from, String subject, String text, String ts) {}

    /** Remembers each account's next UID, so mail that arrived before the server started is never pushed. */
    public void startWatch() {
        for (EmailAccount a : accounts) {
            try {
                watermarks.put(a.name(), uidNext(a));
            } catch (RuntimeException e) {
                // An unreachable account is retried on the next poll; the others still start.
            }
        }
    }

    private long uidNext(EmailAccount a) {
        return mail(a, "open " + a.inboxFolder(), () -> {
            try (Store s = store(a)) {
                Folder f = s.getFolder(a.inboxFolder());
                f.open(Folder.READ_ONLY);
                try {
                    return ((UIDFolder) f).getUIDNext();
                } finally {
                    f.close(false);
                }
            }
        });
    }

    /** New mail from allowlisted senders in every account's inbox; a closed allowlist yields nothing. */
    public List<Inbound> poll() {
        List<Inbound> out = new ArrayList<>();
        for (EmailAccount a : accounts) {
            Long from = watermarks.get(a.name());
            if (from == null) {
                try {
                    watermarks.put(a.name(), uidNext(a));
                } catch (RuntimeException unreachable) {
                    // Try again next time.
                }
                continue;
            }
            mail(a, "poll " + a.inboxFolder(), () -> {
                try (Store s = store(a)) {
                    Folder f = s.getFolder(a.inboxFolder());
                    f.open(Folder.READ_ONLY);
                    try {
                        UIDFolder uf = (UIDFolder) f;
                        long next = from;
                        Message[] fresh = uf.getMessagesByUID(from, UIDFolder.LASTUID);
                        AccessList list = null;
                        try {
                            list = list();
                        } catch (AccessDenied closed) {
                            // Drop everything while the allowlist is closed; the watermark still advances.
                        }
                        for (Message m : fresh) {
                            if (m == null) continue;
                            long uid = uf.getUID(m);
                            if (uid < from) continue; // "n:*" returns the last message even when nothing is newer
                            next = Math.max(next, uid + 1);
                            if (list == null) continue;
                            List<String> senders = addresses(m.getFrom());
                            if (senders.isEmpty() || !senders.stream().allMatch(list::allows)) continue;
                            var date = m.getSentDate() != null ? m.getSentDate() : m.getReceivedDate();
                            String body = text(m);
                            if (body.length() > 4000) body = body.substring(0, 4000) + "\n[… read_message for the rest]";
                            out.add(new Inbound(new MailId(a.name(), a.inboxFolder(), uid).toString(), senders.get(0),
                                    m.getSubject() == null ? "" : m.getSubject(), body,
                                    Timestamps.rfc3339(date == null ? java.time.Instant.now() : date.toInstant())));
                        }
                        watermarks.put(a.name(), next);
                        return null;
                    } finally {
                        f.close(false);
                    }
                }
            });
        }
        return out;
    }
}
