package ai.netsky.channels;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/** The SDK's stdin: only lines the {@link StdioGuard} accepted, each ending in a newline; EOF after {@link #finish()}. */
final class QueueInputStream extends InputStream {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private byte[] current;
    private int pos;
    private boolean done;

    void offerLine(byte[] lineWithNewline) {
        lines.add(lineWithNewline);
    }

    void finish() {
        lines.add(EOF);
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length - pos;
    }

    private boolean fill() throws InterruptedIOException {
        while (current == null || pos >= current.length) {
            if (done) return false;
            try {
                current = lines.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for stdin");
            }
            pos = 0;
            if (current == EOF) {
                done = true;
                current = null;
                return false;
            }
        }
        return true;
    }
}
