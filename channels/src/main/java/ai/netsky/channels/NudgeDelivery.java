package ai.netsky.channels;

import ai.netsky.core.Envelope;
import ai.netsky.core.EnvelopeRules;
import ai.netsky.core.Inbox;
import ai.netsky.core.NetskyException;
import java.time.Duration;
import java.util.Locale;

/**
 * Delivery where MCP push is unavailable (Codex; Claude Code without a claude.ai login): paste the
 * rendered channel block (body xml-escaped) into the agent's tmux pane once it is idle, wait until the
 * pane shows it (confirmation that it arrived), then press Enter.
 * "Idle" = the pane shows no "esc to interrupt" (Claude Code's and Codex's busy status line) and did
 * not change between two captures.
 */
public final class NudgeDelivery implements DeliverySink {
    private static final String BUSY = "esc to interrupt";
    /** Claude Code shows a long or multi-line paste as "[Pasted text #N +M lines]" instead of the text. */
    private static final String PASTED = "[Pasted text #";

    private final PaneOps pane;
    private final String session;
    private final Duration idleTimeout;
    private final Duration confirmTimeout;
    private final Duration settle;

    public NudgeDelivery(PaneOps pane, String session, Duration idleTimeout, Duration confirmTimeout, Duration settle) {
        this.pane = pane;
        this.session = session;
        this.idleTimeout = idleTimeout;
        this.confirmTimeout = confirmTimeout;
        this.settle = settle;
    }

    public static NudgeDelivery standard(PaneOps pane, String session) {
        return new NudgeDelivery(pane, session, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMillis(150));
    }

    /** The text pasted: the block Claude Code would render for a push. */
    public static String render(Envelope env) {
        return Inbox.renderChannelBlock("agent", env);
    }

    @Override
    public void deliver(Envelope env) throws NotDelivered {
        try {
            if (!pane.hasSession(session)) throw new NotDelivered("no tmux session '" + session + "' to paste into", false);
            String block = render(env);
            String marker = marker(env);
            waitIdle();
            String before = pane.capture(session);
            int markersBefore = count(before, marker);
            int pastesBefore = count(before, PASTED);
            pane.paste(session, block);
            String shown = waitFor(s -> count(s, marker) > markersBefore || count(s, PASTED) > pastesBefore, confirmTimeout);
            if (shown == null) throw new NotDelivered("the pane of '" + session + "' did not show the pasted message within " + confirmTimeout, false);
            pane.pressEnter(session);
            // The paste was seen in the pane and submitted. Whether the pane then changes depends on the
            // program (Claude Code clears its input box; a plain line reader shows nothing new), so a second
            // Enter is never sent: it would submit an empty line.
            waitFor(s -> !s.equals(shown), Duration.ofMillis(Math.min(500, confirmTimeout.toMillis())));
        } catch (NetskyException tmuxFailed) {
            throw new NotDelivered(tmuxFailed.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotDelivered("interrupted", true);
        }
    }

    /** A string unique to this envelope that a pane shows once the paste landed: its ts attribute. */
    static String marker(Envelope env) {
        return "ts=\"" + EnvelopeRules.xmlEscapeBody(env.ts()) + "\"";
    }

    private void waitIdle() throws NotDelivered, InterruptedException {
        long deadline = System.nanoTime() + idleTimeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            String now = pane.capture(session);
            boolean busy = now.toLowerCase(Locale.ROOT).contains(BUSY);
            if (!busy && now.equals(last)) return;
            last = now;
            Thread.sleep(settle);
        }
        throw new NotDelivered("the agent in '" + session + "' stayed busy for " + idleTimeout, false);
    }

    private String waitFor(java.util.function.Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String s = pane.capture(session);
            if (p.test(s)) return s;
            if (System.nanoTime() > deadline) return null;
            Thread.sleep(50);
        }
    }

    static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) n++;
        return n;
    }

    @Override
    public String name() {
        return "nudge";
    }
}
