package ai.netsky.cli;

import ai.netsky.store.Event;
import ai.netsky.watchdog.WatchdogEvents;
import java.time.Instant;

/**
 * The watchdog's event sink backed by meta.db: every event becomes a {@code watchdog_events} row;
 * crashes also a {@code crashes} row, revives a {@code restarts} row (a claimed planned
 * restart is recorded by the detached {@code netsky restart} itself), escalations an
 * {@code escalations} row, passes a {@code ticks} row. Best effort, like all recording.
 */
final class StoreWatchdogEvents implements WatchdogEvents {
    private final CliContext ctx;

    StoreWatchdogEvents(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void event(String name, String agent, String severity, String status, String detail) {
        Instant now = Instant.now();
        ctx.record(new Event.WatchdogEvent(now, name, agent, severity, status, detail));
        switch (name) {
            case "revive" -> ctx.record(new Event.Restart(now, agent, "crash-recovery", status, detail));
            case "escalation" -> ctx.record(new Event.Escalation(now, detail == null ? "(no subject)" : detail, "sent".equals(status), "watchdog", null));
            default -> { }
        }
    }

    @Override
    public void crash(String kind, String agent, String detail) {
        Instant now = Instant.now();
        ctx.record(new Event.Crash(now, kind, agent, detail));
        ctx.record(new Event.WatchdogEvent(now, "crash", agent, "error", kind, detail));
    }

    @Override
    public void tick(String source, String detailJson) {
        ctx.record(new Event.Tick(Instant.now(), source, detailJson));
    }
}
