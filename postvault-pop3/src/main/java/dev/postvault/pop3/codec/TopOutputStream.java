package dev.postvault.pop3.codec;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * TOP's cut (RFC 1939 §7): passes the header, the blank line after it, and then at most {@code
 * bodyLines} lines of the body; everything after is dropped. A message without a blank line is all
 * header and passes whole.
 */
public final class TopOutputStream extends FilterOutputStream {
    private final long bodyLines;
    private boolean inHeader = true;
    private boolean done;
    private int lineLength; // octets in the current line, CR not counted
    private long linesPassed;

    public TopOutputStream(OutputStream out, long bodyLines) {
        super(out);
        this.bodyLines = bodyLines;
    }

    @Override
    public void write(int b) throws IOException {
        if (done) return;
        out.write(b);
        step((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        for (int i = off; i < end && !done; i++) {
            if (b[i] != '\n') {
                if (b[i] != '\r') lineLength++;
                continue;
            }
            // The bytes up to and including this LF belong to the output; decide what follows.
            out.write(b, off, i + 1 - off);
            off = i + 1;
            lineEnded();
        }
        if (!done && off < end) out.write(b, off, end - off);
    }

    private void step(byte b) {
        if (b == '\n') lineEnded();
        else if (b != '\r') lineLength++;
    }

    private void lineEnded() {
        if (inHeader) {
            if (lineLength == 0) {
                inHeader = false;
                done = bodyLines == 0;
            }
        } else if (++linesPassed >= bodyLines) {
            done = true;
        }
        lineLength = 0;
    }

    @Override
    public void close() throws IOException {
        flush(); // the connection underneath stays open
    }
}
