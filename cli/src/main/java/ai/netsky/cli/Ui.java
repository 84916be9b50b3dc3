package ai.netsky.cli;

import java.io.PrintStream;

/** Output conventions: {@code [netsky <cmd>] …} lines, {@code error: …} on stderr (red on a terminal). */
public final class Ui {
    private Ui() {}

    private static final boolean TTY = stdoutIsTerminal();

    /** Colour only on a terminal: JDK 22+ has Console.isTerminal(); on 21 a non-null console means one. */
    static boolean stdoutIsTerminal() {
        var console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }

    public static void line(PrintStream out, String cmd, String message) {
        out.println("[netsky " + cmd + "] " + message);
    }

    public static void error(PrintStream err, String message) {
        err.println(TTY ? "\u001b[31merror: " + message + "\u001b[0m" : "error: " + message);
    }

    public static String bold(String s) {
        return TTY ? "\u001b[1m" + s + "\u001b[0m" : s;
    }
}
