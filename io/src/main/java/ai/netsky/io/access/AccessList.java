package ai.netsky.io.access;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A loaded allowlist: {@code allow_from} entries plus, for iMessage, the owner's own chat
 * ({@code [self] chat_id}, {@code handles}). Immutable; reloaded from disk when a source re-checks.
 */
public record AccessList(AccessSource source, Path file, List<String> allowFrom, Optional<String> selfChatId, List<String> selfHandles) {
    public AccessList {
        allowFrom = List.copyOf(allowFrom);
        selfHandles = List.copyOf(selfHandles);
    }

    public boolean isEmpty() {
        return allowFrom.isEmpty() && selfChatId.isEmpty() && selfHandles.isEmpty();
    }

    /** Whether {@code value} (a handle, address or calendar name) is allowed; emails also match {@code @domain}. */
    public boolean allows(String value) {
        if (value == null || value.isBlank()) return false;
        String v;
        try {
            v = source.normalise(value);
        } catch (IllegalArgumentException bad) {
            return false;
        }
        if (allowFrom.contains(v) || selfHandles.contains(v)) return true;
        if (source == AccessSource.EMAIL) {
            String domain = v.substring(v.indexOf('@')).toLowerCase(Locale.ROOT);
            return allowFrom.contains(domain);
        }
        return false;
    }

    /** Handles that may talk to the agent: allow_from plus the owner's own handles. */
    public List<String> handles() {
        var all = new java.util.ArrayList<>(allowFrom);
        for (String h : selfHandles) if (!all.contains(h)) all.add(h);
        return List.copyOf(all);
    }
}
