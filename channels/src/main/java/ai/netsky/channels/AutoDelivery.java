package ai.netsky.channels;

import ai.netsky.core.Envelope;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code auto} delivery: picks push or nudge per agent, before the first envelope and then sticks to it.
 * <ul>
 *   <li>runtime {@code codex} (from {@code ~/.netsky/state/<agent>-runtime}) → nudge: stock Codex has no MCP push;</li>
 *   <li>runtime {@code claude} → what spawn recorded in {@code <agent>-channel-push} once the agent was ready
 *       ({@code available} → push, {@code unavailable} → nudge); before that file exists, nudge as soon as the
 *       pane says "Channels are not currently available" or that the development-channels flag was ignored
 *       (API-key auth). It waits for one of these signs (or {@code <agent>-ready} with a clean pane), at most
 *       {@code decideWithin}, because Claude Code starts its MCP servers before it prints that warning and a
 *       push it drops is lost; still unsure at the deadline → nudge (visible) rather than push (maybe dropped);</li>
 *   <li>no tmux session named after the agent (a plain MCP client) → push; a session but no runtime file (not
 *       spawned by netsky) → one look at the pane: the warning → nudge, else push.</li>
 * </ul>
 */
public final class AutoDelivery implements DeliverySink {
    static final String[] NO_CHANNELS = {"channels are not currently available", "--dangerously-load-development-channels ignored"};

    private final Path runtimeFile;
    private final Path readyFile;
    private final Path pushFile;
    private final PaneOps pane;
    private final String session;
    private final DeliverySink push;
    private final DeliverySink nudge;
    private final Duration decideWithin;
    private final PrintStream log;
    private DeliverySink chosen;

    public AutoDelivery(Path runtimeFile, Path readyFile, Path pushFile, PaneOps pane, String session, DeliverySink push, DeliverySink nudge,
                        Duration decideWithin, PrintStream log) {
        this.runtimeFile = runtimeFile;
        this.readyFile = readyFile;
        this.pushFile = pushFile;
        this.pane = pane;
        this.session = session;
        this.push = push;
        this.nudge = nudge;
        this.decideWithin = decideWithin;
        this.log = log;
    }

    @Override
    public void deliver(Envelope envelope) throws NotDelivered {
        if (chosen == null) {
            chosen = decide();
            log.println("[netsky io] delivery for " + session + ": " + chosen.name() + " (auto)");
        }
        chosen.deliver(envelope);
    }

    DeliverySink decide() throws NotDelivered {
        String runtime = readRuntime();
        boolean hasPane = safe(() -> pane.hasSession(session), false);
        if ("codex".equals(runtime)) return nudge;
        if (!hasPane) return push;
        if (runtime == null) {
            // Not spawned by netsky: nothing to wait for; one look at the pane decides.
            String screen = safe(() -> pane.capture(session), "").toLowerCase(Locale.ROOT);
            for (String sign : NO_CHANNELS) if (screen.contains(sign)) return nudge;
            return push;
        }
        long deadline = System.nanoTime() + decideWithin.toNanos();
        while (true) {
            String recorded = read(pushFile);
            if ("unavailable".equals(recorded)) return nudge;
            if ("available".equals(recorded)) return push;
            String screen = safe(() -> pane.capture(session), "").toLowerCase(Locale.ROOT);
            for (String sign : NO_CHANNELS) if (screen.contains(sign)) return nudge;
            if (Files.exists(readyFile) || System.nanoTime() > deadline) {
                // Ready and no warning on screen: push works here.
                // Not ready within the window and no sign either way: a nudge is visible, a dropped push is not.
                return Files.exists(readyFile) ? push : nudge;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotDelivered("interrupted while choosing a delivery mode", true);
            }
        }
    }


    private String readRuntime() {
        return read(runtimeFile);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
        } catch (IOException none) {
            return null;
        }
    }

    private static <T> T safe(Supplier<T> s, T fallback) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    @Override
    public String name() {
        return chosen == null ? "auto" : chosen.name();
    }
}
