package ai.netsky.io.access;

import java.util.Locale;

/** The sources that have an allowlist, what one entry of it is, and how entries are normalised. */
public enum AccessSource {
    IMESSAGE("handle", "+15551234567"),
    EMAIL("address", "alex@example.com"),
    CALENDAR("calendar", "personal");

    private final String noun;
    private final String example;

    AccessSource(String noun, String example) {
        this.noun = noun;
        this.example = example;
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
    public String noun() { return noun; }
    public String example() { return example; }

    public static java.util.Optional<AccessSource> parse(String s) {
        for (AccessSource a : values()) if (a.id().equals(s)) return java.util.Optional.of(a);
        return java.util.Optional.empty();
    }

    /**
     * Handles and addresses compare case-insensitively (Messages and mail do); calendar names are
     * kept as written. An email entry may be {@code @example.com} to allow a whole domain.
     */
    public String normalise(String raw) {
        String s = raw.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("an empty " + noun + " cannot be allowlisted");
        if (s.length() > 320) throw new IllegalArgumentException(noun + " '" + s.substring(0, 40) + "…' is longer than 320 characters");
        if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '"' || c == '\\')) {
            throw new IllegalArgumentException(noun + " '" + s.replaceAll("\\p{Cntrl}", "?") + "' contains a control character, quote or backslash");
        }
        return switch (this) {
            case IMESSAGE -> s.toLowerCase(Locale.ROOT);
            case EMAIL -> {
                String e = s.toLowerCase(Locale.ROOT);
                if (!e.contains("@") || e.indexOf('@') != e.lastIndexOf('@') || e.endsWith("@") || e.contains(" ")) {
                    throw new IllegalArgumentException("'" + s + "' is not an email address or @domain");
                }
                yield e;
            }
            case CALENDAR -> s;
        };
    }
}
