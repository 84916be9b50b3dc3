package ai.netsky.channels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The server's stdout, shared by three writers (the SDK's outbound thread, the input guard's error
 * replies, and channel pushes): each JSON-RPC message reaches the real stream as one whole line,
 * written and flushed under one lock, so lines never interleave. The SDK writes a message as
 * {@code json}, then {@code "\n"}, then flush; this stream buffers until the newline.
 */
final class LineOutput extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean broken;
    /** Responses the SDK has written (lines shaped {@code {"jsonrpc":"2.0","id":…}}), so EOF can wait for in-flight answers. */
    private final java.util.concurrent.atomic.AtomicInteger sdkResponses = new java.util.concurrent.atomic.AtomicInteger();
    private static final byte[] RESPONSE_PREFIX = "{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII);

    LineOutput(OutputStream out) {
        this.out = out;
    }

    /** Writes one complete line (a newline is appended) and flushes; throws when the client is gone. */
    void writeLine(byte[] json) {
        synchronized (this) {
            if (broken) throw new UncheckedIOException(new IOException("stdout is closed: the MCP client went away"));
            try {
                out.write(json);
                out.write('\n');
                out.flush();
                // A PrintStream (System.out) swallows EPIPE and only sets its error flag.
                if (out instanceof java.io.PrintStream ps && ps.checkError()) throw new IOException("broken pipe on stdout");
            } catch (IOException e) {
                broken = true;
                throw new UncheckedIOException(e);
            }
        }
    }

    void writeLine(String json) {
        writeLine(json.getBytes(StandardCharsets.UTF_8));
    }

    synchronized boolean broken() {
        return broken;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n') {
            emitPending();
        } else {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n') {
                pending.write(b, start, i - start);
                emitPending();
                start = i + 1;
            }
        }
        pending.write(b, start, end - start);
    }

    private void emitPending() throws IOException {
        byte[] line = pending.toByteArray();
        pending.reset();
        try {
            writeLine(line);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (java.util.Arrays.equals(line, 0, Math.min(line.length, RESPONSE_PREFIX.length), RESPONSE_PREFIX, 0, RESPONSE_PREFIX.length)) {
            sdkResponses.incrementAndGet();
        }
    }

    int sdkResponses() {
        return sdkResponses.get();
    }

    @Override
    public void flush() {
        // Lines are flushed as they complete; a partial line is never sent on its own.
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
