package ai.netsky.core;

/**
 * A failure a user can act on. The message names the thing, the reason and the fix; the CLI prints
 * it as {@code error: <message>} and exits 1.
 */
public class NetskyException extends RuntimeException {
    public NetskyException(String message) {
        super(message);
    }

    public NetskyException(String message, Throwable cause) {
        super(message, cause);
    }
}
