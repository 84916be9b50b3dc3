package ai.netsky.channels;

import ai.netsky.core.NetskyException;
import java.util.Locale;

/** How envelopes reach an agent: {@code channel} (MCP push), {@code nudge} (paste into the pane), {@code auto} (detect). */
public enum DeliveryMode {
    CHANNEL, NUDGE, AUTO;

    public static DeliveryMode parse(String raw) {
        if (raw == null || raw.isBlank()) return AUTO;
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "channel", "push" -> CHANNEL;
            case "nudge" -> NUDGE;
            case "auto" -> AUTO;
            default -> throw new NetskyException("invalid delivery mode '" + raw
                    + "': channels.agent.delivery (NETSKY_DELIVERY) is channel, nudge or auto");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
