package ai.netsky.lifecycle;

import ai.netsky.core.Config;
import ai.netsky.core.NetskyException;
import java.util.Locale;

/** {@code --type claude|codex|stub}: which agent CLI lives in a pane. */
public enum RuntimeKind {
    CLAUDE, CODEX, STUB;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RuntimeKind parse(String s) {
        for (RuntimeKind k : values()) if (k.id().equals(s.strip().toLowerCase(Locale.ROOT))) return k;
        throw new NetskyException("unknown agent runtime '" + s + "'; use claude, codex or stub");
    }

    public AgentRuntime create(Config config) {
        return switch (this) {
            case CLAUDE -> new ClaudeRuntime(config);
            case CODEX -> new CodexRuntime(config);
            case STUB -> new StubRuntime();
        };
    }
}
