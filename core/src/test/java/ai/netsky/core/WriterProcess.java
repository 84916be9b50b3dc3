package ai.netsky.core;

import java.nio.file.Path;

/** A separate writer process for the concurrency tests: {@code <home> <to> <from> <count>}. */
public final class WriterProcess {
    public static void main(String[] args) {
        NetskyPaths paths = new NetskyPaths(Path.of(args[0]));
        AgentId to = AgentId.of(args[1]);
        String from = args[2];
        int count = Integer.parseInt(args[3]);
        EnvelopeWriter writer = new EnvelopeWriter(paths);
        for (int i = 0; i < count; i++) {
            // A body big enough that a torn write would be visible as truncated JSON.
            writer.send(to, Envelope.now(from, from + ":" + i + ":" + "x".repeat(2000)).withId(from + "-" + i));
        }
    }
}
