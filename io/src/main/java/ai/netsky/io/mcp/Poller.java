package ai.netsky.io.mcp;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * A background poll loop on a virtual thread. A failing poll is logged once per distinct message
 * (an unreachable server every 60 s must not flood stderr) and retried on the next beat.
 */
public final class Poller implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stopped;

    @FunctionalInterface
    public interface Beat {
        void run() throws Exception;
    }

    private Poller(String name, Duration interval, Beat beat, PrintStream log) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> {
            String lastError = null;
            while (!stopped) {
                try {
                    beat.run();
                    lastError = null;
                } catch (Exception | LinkageError e) {
                    String msg = Objects.toString(e.getMessage(), e.toString());
                    if (!msg.equals(lastError)) log.println("[netsky io] " + name + ": " + msg);
                    lastError = msg;
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        thread.start();
    }

    public static Poller every(String name, Duration interval, Beat beat, PrintStream log) {
        return new Poller(name, interval, beat, log);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
