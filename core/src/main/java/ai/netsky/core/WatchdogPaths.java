package ai.netsky.core;

import java.nio.file.Path;
import java.util.Map;

/**
 * Marker and state files of the self-repair loop (spec watchdog.md §2), in one place so the watchdog
 * that writes them and doctor/status/morning that read them can never disagree. Legacy {@code /tmp}
 * paths (restart request, tick interval) live under {@code $NETSKY_TMP} (default {@code /tmp}) so
 * tests can isolate them.
 */
public record WatchdogPaths(NetskyPaths paths, Path tmp) {
    public static final String CRASH_SIGIL = "crash-recovery restart by agentinfinity watchdog";
    public static final String HANG_MARKER_BODY = "owner decision: investigate.";

    public static WatchdogPaths of(NetskyPaths paths, Map<String, String> env) {
        String t = env.get("NETSKY_TMP");
        return new WatchdogPaths(paths, Path.of(t == null || t.isBlank() ? "/tmp" : t));
    }

    private Path state(String name) { return paths.stateDir().resolve(name); }

    // Planned restart (agent0's /restart skill writes the request; the watchdog claims it).
    public Path restartRequest() { return tmp.resolve("netsky-restart-request.txt"); }
    public Path restartProcessing() { return tmp.resolve("netsky-restart-processing.txt"); }
    public Path restartStatusDir() { return state("restart-status"); }
    public Path crashHandoffsDir() { return state("crash-handoffs"); }
    /** The handoff archive: every handoff delivered to agent0, planned or crash, newest name last. */
    public Path handoffArchiveDir() { return state("handoff-archive"); }

    // Liveness and repair.
    public Path tickLock() { return state("watchdog-tick.lock"); }
    public Path lastTick() { return state("watchdog-last-tick"); }
    public Path tickerHeartbeat() { return state("ticker-heartbeat"); }
    public Path tickerMissingCount() { return state("ticker-missing-count"); }
    public Path downIntent() { return state("down-intent"); }
    public Path restartAttempts(AgentId a) { return paths.agentStateFile(a, "restart-attempts"); }
    public Path crashloopMarker(AgentId a) { return paths.agentStateFile(a, "crashloop"); }
    public Path pendingProof(AgentId a) { return paths.agentStateFile(a, "pending-liveness-proof"); }
    public Path hangMarker(AgentId a) { return paths.agentStateFile(a, "hang-suspected"); }
    public Path hangPagedMarker(AgentId a) { return paths.agentStateFile(a, "hang-paged"); }
    public Path paneHashFile(AgentId a) { return paths.agentStateFile(a, "pane-hash"); }
    public Path runtimeFile(AgentId a) { return paths.agentStateFile(a, "runtime"); }
    /** {@code agent0-quiet-until-<epoch>} sentinels; the latest future one wins. */
    public String quietPrefix() { return "agent0-quiet-until-"; }
    public Path quietSentinel(long untilEpoch) { return state(quietPrefix() + untilEpoch); }

    // agentinit and escalation.
    public Path agentinfinityReady() { return paths.agentinfinityReadyMarker(); }
    public Path agentinitFailures() { return state("agentinit-failures"); }
    public Path agentinitEscalationMarker() { return state("agentinit-escalation"); }
    public String escalateFailedPrefix() { return "escalate-failed-"; }

    // Status ticks.
    public Path tickIntervalConfig() { return tmp.resolve("netsky-tick-interval-s"); }
    public Path tickLast() { return state("tick-last"); }

    // Logs.
    public Path watchdogLog() { return paths.logsDir().resolve("watchdog.log"); }
    public Path tickerLog() { return paths.logsDir().resolve("ticker.log"); }
}
