package ai.netsky.tmux;

import java.util.List;

/** The session calls lifecycle commands need; {@link Tmux} is the real one, tests use fakes. */
public interface SessionOps {
    List<String> listSessions();

    boolean hasSession(String name);

    void killSession(String name);
}
