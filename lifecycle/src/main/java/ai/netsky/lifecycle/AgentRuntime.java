package ai.netsky.lifecycle;

import ai.netsky.tmux.Tmux;
import java.time.Duration;
import java.util.Map;

/**
 * One kind of agent CLI that can live in a tmux pane: {@code claude}, {@code codex} or the built-in
 * {@code stub}. Spawn asks the runtime for the pane command and environment, lets it pre-seed what it
 * can (trust files, onboarding flags), starts the session, then lets it get past start-up dialogs.
 */
public interface AgentRuntime {
    /** {@code claude}, {@code codex} or {@code stub}. */
    String name();

    /** One line for humans, e.g. {@code claude (model default, channels: agent)}. */
    String describe();

    /** Writes whatever can be pre-seeded before the pane starts (e.g. ~/.claude.json trust). */
    void prepare(SpawnRequest request);

    /** The shell command the pane runs; the prompt is passed by file ($NETSKY_PROMPT_FILE), never inline. */
    String paneCommand(SpawnRequest request);

    /** Extra environment for the pane, beyond AGENT_N and NETSKY_PROMPT_FILE. */
    Map<String, String> paneEnv(SpawnRequest request);

    /**
     * Watches the pane until the agent is ready, answering start-up dialogs from {@code capture-pane};
     * returns what happened, never blocks past {@code deadline}.
     */
    StartupReport awaitReady(Tmux tmux, SpawnRequest request, Duration deadline);

    /**
     * True when the agent touches {@code state/<agent>-ready} itself once booted (the stub); otherwise
     * spawn writes it when {@link #awaitReady} reports the CLI at its input prompt past every dialog.
     */
    default boolean signalsReadyItself() {
        return false;
    }

    /** Outcome of start-up: ready, or what blocked it (dialog text / dead pane and its last screen). */
    record StartupReport(boolean ready, String detail, String lastScreen) {
        public static StartupReport ready(String detail) {
            return new StartupReport(true, detail, "");
        }

        public static StartupReport blocked(String detail, String lastScreen) {
            return new StartupReport(false, detail, lastScreen);
        }
    }
}
