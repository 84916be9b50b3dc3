package ai.netsky.watchdog;

import ai.netsky.core.AgentId;
import java.util.List;

/**
 * What the watchdog needs from the running constellation, behind a small interface so the tick's
 * decisions are unit-tested with a fake and proven end to end against real tmux.
 */
public interface Constellation {
    /** Observed state of one agent's tmux session. */
    sealed interface AgentState permits Absent, Dead, Alive {}

    record Absent() implements AgentState {}

    /** The session is there but its pane exited (remain-on-exit keeps it for forensics). */
    record Dead(int exitStatus, String lastScreen) implements AgentState {}

    record Alive(String screen) implements AgentState {}

    /** Agents that should be running (spawned and not stopped on purpose). */
    List<AgentId> expected();

    AgentState state(AgentId agent);

    /** Kills whatever is left of {@code agent}'s session and spawns it again; true once it is ready. */
    boolean revive(AgentId agent);

    /** True when the agent has given its ready signal since it was last spawned (the liveness proof). */
    boolean ready(AgentId agent);

    boolean tickerUp();

    /** Respawns the ticker session; true when it is up afterwards. */
    boolean startTicker();

    /** Starts a detached {@code netsky restart} for a claimed planned-restart handoff. */
    void startDetachedRestart(java.nio.file.Path handoff);
}
