package dev.postvault.pop3.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Message content inside a multi-line response (RFC 1939 §3): a line that starts with "." gets a
 * second one, a bare LF becomes CRLF, and {@link #finish()} ends an unterminated last line so the
 * terminating "." stands on its own line. Every other byte, 8-bit included, passes unchanged.
 * {@link #close()} does not close the connection underneath.
 */
public final class DotStuffingOutputStream extends FilterOutputStream {
    private boolean atLineStart = true;
    private boolean afterCr;
    private long written;

    public DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (atLineStart && b == '.') emit('.');
        if (b == '\n' && !afterCr) emit('\r');
        emit(b);
        afterCr = b == '\r';
        atLineStart = b == '\n';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int runStart = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            boolean stuff = atLineStart && c == '.';
            boolean addCr = c == '\n' && !afterCr;
            if (stuff || addCr) {
                out.write(b, runStart, i - runStart);
                written += i - runStart;
                emit(stuff ? '.' : '\r');
                runStart = i;
            }
            afterCr = c == '\r';
            atLineStart = c == '\n';
        }
        out.write(b, runStart, end - runStart);
        written += end - runStart;
    }

    /** Ends the last line if the content did not; call before the terminating ".". */
    public void finish() throws IOException {
        if (!atLineStart) {
            if (!afterCr) emit('\r');
            emit('\n');
            atLineStart = true;
            afterCr = false;
        }
        out.flush();
    }

    /** Octets written to the connection, stuffing included. */
    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void emit(int b) throws IOException {
        out.write(b);
        written++;
    }
}
