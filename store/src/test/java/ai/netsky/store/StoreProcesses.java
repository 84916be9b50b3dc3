package ai.netsky.store;

import ai.netsky.core.NetskyPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Separate processes for the store tests. {@code write <home> <writer> <count> [busyMs]}: records
 * {@code count} cli_invocations, each through its own open/insert/close like a real netsky command;
 * prints "spooled=<n> lost=<n>". {@code hold <home>}: takes meta.db's write lock (BEGIN IMMEDIATE),
 * prints "holding" and keeps it until stdin closes.
 */
public final class StoreProcesses {
    public static void main(String[] args) throws Exception {
        NetskyPaths paths = new NetskyPaths(Path.of(args[1]));
        switch (args[0]) {
            case "write" -> {
                String writer = args[2];
                int count = Integer.parseInt(args[3]);
                int busy = args.length > 4 ? Integer.parseInt(args[4]) : MetaDb.DEFAULT_BUSY_MS;
                int spooled = 0;
                int lost = 0;
                for (int i = 0; i < count; i++) {
                    try (EventStore store = new EventStore(paths, busy)) {
                        var r = store.record(new Event.CliInvocation(Instant.now(), "netsky", "[\"" + writer + "\",\"" + i + "\"]", 0, i, writer));
                        if (r.spooled()) spooled++;
                        if (r.failure() != null) {
                            lost++;
                            System.err.println(r.failure());
                        }
                    }
                }
                System.out.println("spooled=" + spooled + " lost=" + lost);
            }
            case "hold" -> {
                try (EventStore store = new EventStore(paths, Map.of())) {
                    Connection c = store.connection();
                    c.setAutoCommit(false);
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO ticks (ts_utc, source, detail) VALUES ('2026-01-01T00:00:00.000Z', 'lock-holder', NULL)");
                    }
                    System.out.println("holding");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // Hold the write transaction until the test closes our stdin.
                    }
                    c.rollback();
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static Process start(List<String> prefix, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), StoreProcesses.class.getName()));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }
}
