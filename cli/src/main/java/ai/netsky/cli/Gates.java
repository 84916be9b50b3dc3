package ai.netsky.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * netsky's {@code GATES} table: each safety gate the system enforces — the signal it watches, the
 * condition that trips it, the action taken, what it remembers, and how to undo it. netsky 0.1.7's
 * table (seen in part) held {@code prompt_drift}, {@code mutation_ledger} and
 * {@code email_draft_sentinel_consume}; this port lists the gates it actually enforces, each naming
 * the class that does it ({@code where}), so the table never promises a gate that is not there.
 */
record Gate(String name, String signal, String condition, String action, String memory, String reversibility, String where) {

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("signal", signal);
        m.put("condition", condition);
        m.put("action", action);
        m.put("memory", memory);
        m.put("reversibility", reversibility);
        m.put("where", where);
        return m;
    }

    static final List<Gate> ALL = List.of(
            new Gate("config_malformed", "netsky.toml is read by a command",
                    "the file is present but malformed, has an unknown section or a value of the wrong type",
                    "the command fails naming file, line and key; defaults are never silently used instead",
                    "none: checked on every load", "trivially reversible: fix the line", "ai.netsky.core.Config"),
            new Gate("config_write_verified", "`netsky config set|unset` or `onboard` changes netsky.toml",
                    "the value fails its key's check (type, choices, minimum) or the edited file does not re-parse to exactly that value",
                    "nothing is written; otherwise the file is replaced atomically with comments and ordering kept",
                    "none", "reversible: `netsky config set` the old value or `config unset`", "ai.netsky.core.ConfigWriter"),
            new Gate("envelope_quarantine", "a file in an agent's inbox",
                    "it is not a valid envelope (bad JSON, missing keys, bad ids, too large)",
                    "moved to quarantine/ with <name>.reason.txt; never delivered, never deleted",
                    "the quarantined file and its reason", "reversible: fix the file and move it back into inbox/", "ai.netsky.core.Inbox"),
            new Gate("no_symlink_writes", "netsky writes under ~/.netsky",
                    "a path component between HOME and the target is a symlink, or the path escapes it",
                    "the write is refused with the offending path named", "none", "replace the symlink with a real directory",
                    "ai.netsky.core.NetskyPaths"),
            new Gate("bounded_children", "netsky starts a child process (tmux, claude, osascript, systemctl, …)",
                    "the child outlives its deadline", "it and its descendants are killed and the caller gets an error naming the command",
                    "none", "n/a", "ai.netsky.core.BoundedProcess"),
            new Gate("tick_single_flight", "a watchdog tick starts", "another tick holds ~/.netsky/state/watchdog-tick.lock",
                    "the second tick exits quietly", "the lock file (released when its holder exits)", "automatic", "ai.netsky.watchdog.WatchdogTick"),
            new Gate("down_intent", "agent0 is missing during a watchdog tick", "~/.netsky/state/down-intent exists (written by `netsky down`)",
                    "the watchdog does not revive what `down` stopped", "the down-intent marker", "reversible: `netsky up` clears it",
                    "ai.netsky.watchdog.WatchdogTick"),
            new Gate("crash_loop", "the watchdog revives an agent",
                    "too many revives inside the sliding window, or several in a row without a liveness proof",
                    "crash-loop marker <agent>-crashloop written and exactly one escalation sent; revives stop",
                    "<agent>-restart-attempts and the marker", "cleared on the first healthy tick after a proven recovery, or by an owner-initiated restart",
                    "ai.netsky.watchdog.WatchdogTick"),
            new Gate("hang_page_once", "agent0's pane content hash", "unchanged for tuning.hang_threshold_s while not idle by design",
                    "hang marker written and one page per episode", "<agent>-hang-suspected, <agent>-hang-paged",
                    "re-armed when the pane changes", "ai.netsky.watchdog.WatchdogTick"),
            new Gate("quiet_window", "a hang is suspected", "a future agent0-quiet-until-<epoch> sentinel exists (`netsky quiet`, `netsky nap`)",
                    "no hang page during the window", "the sentinel file (expired ones are reaped)", "reversible: delete the sentinel",
                    "ai.netsky.cli.QuietCommand"),
            new Gate("escalate_failed_marker", "`netsky escalate` pages the owner", "every notifier failed both attempts",
                    "escalate-failed-<epoch> marker written and the command exits 1 (doctor and morning surface it)", "the marker",
                    "delete the marker once the notifier works", "ai.netsky.watchdog.Escalator"),
            new Gate("hook_never_blocks", "a Claude Code hook runs `netsky hooks emit`", "anything goes wrong while recording",
                    "a warning on stderr, nothing on stdout, exit 0: a status hook can never block or pollute an agent's turn",
                    "<agent>-hook-status.json", "n/a", "ai.netsky.cli.HooksCommand"));
}
