package ai.netsky.io.email;

/** A message handle the tools pass around: {@code <account>:<folder>:<uid>} (IMAP UID, stable within the folder). */
public record MailId(String account, String folder, long uid) {
    public static MailId parse(String id) {
        if (id == null) throw new IllegalArgumentException("id is required (an id from list_messages)");
        String s = id.strip();
        int first = s.indexOf(':');
        int last = s.lastIndexOf(':');
        if (first <= 0 || last <= first + 1 || last == s.length() - 1) {
            throw new IllegalArgumentException("id '" + s + "' is not <account>:<folder>:<uid>; use an id from list_messages");
        }
        try {
            return new MailId(s.substring(0, first), s.substring(first + 1, last), Long.parseLong(s.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("id '" + s + "' does not end in a numeric uid; use an id from list_messages");
        }
    }

    @Override
    public String toString() {
        return account + ":" + folder + ":" + uid;
    }
}
