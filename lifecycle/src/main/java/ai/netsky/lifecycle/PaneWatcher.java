package ai.netsky.lifecycle;

import ai.netsky.core.NetskyException;
import ai.netsky.lifecycle.AgentRuntime.StartupReport;
import ai.netsky.tmux.Tmux;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Watches a freshly started pane until its agent is ready: answers start-up dialogs it recognises
 * from {@code capture-pane} (keys sent as tmux key names, never interpolated text), reports a pane
 * that died (exit status and last screen), and gives up at the deadline naming what it last saw.
 */
public final class PaneWatcher {
    private PaneWatcher() {}

    static final Duration POLL = Duration.ofMillis(200);
    /** A dialog still on screen this long after its answer is answered again (the keys may have raced its render). */
    static final Duration REANSWER_AFTER = Duration.ofSeconds(3);

    /**
     * A start-up dialog: shown when the screen contains every needle; answered with {@code keys};
     * a {@code blocker} (e.g. a login screen) cannot be answered and ends the wait with its fix.
     */
    public record Dialog(String name, List<String> needles, List<String> keys, String blocker) {
        public static Dialog answer(String name, List<String> keys, String... needles) {
            return new Dialog(name, List.of(needles), keys, null);
        }

        public static Dialog blocker(String name, String fix, String... needles) {
            return new Dialog(name, List.of(needles), List.of(), fix);
        }

        boolean shownIn(String screen) {
            return needles.stream().allMatch(screen::contains);
        }
    }

    public static StartupReport watch(Tmux tmux, String session, String what, Duration timeout, List<Dialog> dialogs, Predicate<String> ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        Dialog lastAnswered = null;
        long lastAnsweredAt = 0;
        StringBuilder answered = new StringBuilder();
        while (true) {
            if (!tmux.hasSession(session)) {
                return StartupReport.blocked(what + " in session '" + session + "' vanished during start-up (the session closed)", screen);
            }
            Tmux.PaneState pane;
            try {
                pane = tmux.paneState(session);
                screen = tmux.capturePane(session);
            } catch (NetskyException vanished) {
                continue; // re-checked by hasSession above
            }
            if (pane.dead()) {
                // tmux may see the pty close before it reaps the child: give it a moment for the exit
                // status (and the last output) instead of reporting "status -1" with a half screen.
                long settle = System.nanoTime() + 1_500_000_000L;
                while (pane.exitStatus() < 0 && System.nanoTime() < settle) {
                    sleep(Duration.ofMillis(50));
                    try {
                        pane = tmux.paneState(session);
                    } catch (NetskyException vanished) {
                        break;
                    }
                }
                try {
                    screen = tmux.captureWithHistory(session, 200);
                } catch (NetskyException vanished) {
                    // keep the visible screen
                }
                return StartupReport.blocked(what + " in session '" + session + "' exited " + (pane.exitStatus() >= 0
                        ? "with status " + pane.exitStatus() : "(tmux reported no exit status)") + " during start-up", screen);
            }
            Dialog shown = null;
            for (Dialog d : dialogs) {
                if (d.shownIn(screen)) {
                    shown = d;
                    break;
                }
            }
            if (shown != null && shown.blocker() != null) {
                return StartupReport.blocked(what + " in session '" + session + "' stopped at " + shown.name() + ": " + shown.blocker(), screen);
            }
            long now = System.nanoTime();
            if (shown != null) {
                if (shown != lastAnswered || now - lastAnsweredAt > REANSWER_AFTER.toNanos()) {
                    for (String key : shown.keys()) {
                        tmux.sendKeys(session, key);
                        sleep(Duration.ofMillis(150));
                    }
                    if (shown != lastAnswered) answered.append(answered.isEmpty() ? "" : ", ").append(shown.name());
                    lastAnswered = shown;
                    lastAnsweredAt = System.nanoTime();
                }
            } else if (ready.test(screen)) {
                return StartupReport.ready(answered.isEmpty() ? "no start-up dialogs" : "answered: " + answered);
            }
            if (now > deadline) {
                String seen = lastAnswered == null ? "" : "; last dialog answered: " + lastAnswered.name();
                return StartupReport.blocked("timed out after " + timeout.toSeconds() + "s waiting for " + what + " in session '" + session + "' to be ready" + seen, screen);
            }
            sleep(POLL);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetskyException("interrupted while waiting for an agent to start");
        }
    }
}
