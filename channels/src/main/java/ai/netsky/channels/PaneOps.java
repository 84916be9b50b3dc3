package ai.netsky.channels;

/** The few tmux operations a nudge needs; {@link ai.netsky.tmux.Tmux} in production, a fake in unit tests. */
public interface PaneOps {
    boolean hasSession(String session);

    /** The pane's visible text plus some scrollback. */
    String capture(String session);

    /** Pastes {@code text} literally (a paste buffer fed on stdin; bracketed paste). */
    void paste(String session, String text);

    void pressEnter(String session);

    static PaneOps tmux(ai.netsky.tmux.Tmux tmux) {
        return new PaneOps() {
            @Override
            public boolean hasSession(String session) {
                return tmux.hasSession(session);
            }

            @Override
            public String capture(String session) {
                var r = tmux.raw("capture-pane", "-p", "-J", "-S", "-200", "-t", "=" + ai.netsky.tmux.Tmux.validateSessionName(session) + ":");
                if (!r.ok()) throw new ai.netsky.core.NetskyException("cannot read the pane of '" + session + "': " + r.stderr().strip());
                return r.stdout();
            }

            @Override
            public void paste(String session, String text) {
                tmux.paste(session, text);
            }

            @Override
            public void pressEnter(String session) {
                tmux.sendKeys(session, "Enter");
            }
        };
    }
}
