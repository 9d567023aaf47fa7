package dev.postvault.smtp.codec;

import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Frames the client's byte stream: command lines, dot-stuffed DATA bodies and BDAT chunks.
 *
 * <p>Reads are buffered, which is what makes PIPELINING work (RFC 2920): several commands can
 * arrive in one segment. Before every read that could block, {@code beforeBlockingRead} is flushed,
 * so the replies of a pipelined group go out together and are always out before we wait for the
 * client (RFC 2920 §3.2). I/O errors, including read timeouts, surface as
 * {@link UncheckedIOException} with the original cause.
 *
 * <p><b>Line ends.</b> A command line ends at LF; one CR before it is dropped, so a bare LF is
 * accepted as a command terminator. In DATA only CRLF ends a line (RFC 5321 §2.3.8): a bare CR or LF
 * is ordinary content and is stored unchanged, dot-unstuffing applies only after CRLF, and the body
 * ends only at CRLF "." CRLF (RFC 5321 §4.5.2). Hence {@code "\n.\n"}, {@code "\r\n.\n"} and
 * {@code "\n.\r\n"} never end a message, which rules out SMTP smuggling through this server; a
 * client sending LF-only bodies simply never terminates and hits the data timeout.
 */
public final class SmtpInput {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final InputStream in;
    private final Flushable beforeBlockingRead;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;

    public SmtpInput(InputStream in, Flushable beforeBlockingRead) {
        this.in = in;
        this.beforeBlockingRead = beforeBlockingRead;
    }

    /** True when bytes the client already sent are waiting in our buffer (a pipelined group). */
    public boolean hasBuffered() {
        return position < limit;
    }

    /** Drops everything buffered and returns how many bytes that was (RFC 3207 §4.2 after STARTTLS). */
    public int discardBuffered() {
        int dropped = limit - position;
        position = limit;
        return dropped;
    }

    /** Reads one line ending in LF (optional CR before it stripped), at most {@code maxLineBytes} long. */
    public InputLine readLine(int maxLineBytes) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean tooLong = false;
        while (true) {
            if (!fill()) {
                return new InputLine.EndOfStream();
            }
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            boolean found = end < limit;
            position = found ? end + 1 : end;
            if (!tooLong) {
                if (line.size() + (end - start) > maxLineBytes + 1) { // +1: a CR before LF is not content
                    tooLong = true; // RFC 5321 §4.5.3.1.4: keep reading to the end of the line, then 500
                } else {
                    line.write(buffer, start, end - start);
                }
            }
            if (found) {
                break;
            }
        }
        if (tooLong) {
            return new InputLine.TooLong();
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (length > maxLineBytes) {
            return new InputLine.TooLong();
        }
        return new InputLine.Complete(length == bytes.length ? bytes : Arrays.copyOf(bytes, length));
    }

    private enum DataState { LINE_START, TEXT, CR, DOT, DOT_CR }

    /**
     * Reads a DATA body up to and including CRLF.CRLF, dot-unstuffed, into {@code sink}. Past the
     * sink's limit, or once a line exceeds {@code maxLineBytes} (CRLF excluded), the body is still read
     * to its terminator so the session stays in step, but the result reports the problem.
     */
    public DataResult readData(MessageBuffer sink, int maxLineBytes) {
        DataState state = DataState.LINE_START;
        long lineBytes = 0;
        boolean lineTooLong = false;
        while (true) {
            if (!fill()) {
                return DataResult.END_OF_STREAM;
            }
            int b = buffer[position++] & 0xff;
            switch (state) {
                case LINE_START -> {
                    if (b == '.') {
                        state = DataState.DOT; // RFC 5321 §4.5.2: decide once we see what follows
                        continue;
                    }
                    state = text(b);
                }
                case DOT -> {
                    if (b == '\r') {
                        state = DataState.DOT_CR;
                        continue;
                    }
                    state = text(b); // RFC 5321 §4.5.2: a leading period with more on the line is dropped
                }
                case DOT_CR -> {
                    if (b == '\n') { // RFC 5321 §4.5.2: CRLF "." CRLF ends the mail data
                        if (sink.overflowed()) {
                            return DataResult.TOO_BIG;
                        }
                        return lineTooLong ? DataResult.LINE_TOO_LONG : DataResult.COMPLETE;
                    }
                    sink.write('\r'); // ".\r" then something else: the dot was stuffing, the CR is content
                    lineBytes++;
                    state = afterCr(b);
                }
                case TEXT -> state = text(b);
                case CR -> state = afterCr(b);
            }
            sink.write(b);
            lineBytes = state == DataState.LINE_START ? 0 : lineBytes + 1;
            if (lineBytes > maxLineBytes + 1L) { // +1: the CR of the CRLF is counted until its LF arrives
                lineTooLong = true; // RFC 5321 §4.5.3.1.6 (we are more lenient than 1000, up to the limit)
            }
        }
    }

    private static DataState text(int b) {
        return b == '\r' ? DataState.CR : DataState.TEXT;
    }

    private static DataState afterCr(int b) {
        if (b == '\n') {
            return DataState.LINE_START; // RFC 5321 §2.3.8: only CRLF ends a line
        }
        return b == '\r' ? DataState.CR : DataState.TEXT;
    }

    /** Copies exactly {@code count} octets (a BDAT chunk, RFC 3030 §2) into {@code sink}; false on EOF. */
    public boolean readChunk(long count, MessageBuffer sink) {
        long remaining = count;
        while (remaining > 0) {
            if (!fill()) {
                return false;
            }
            int n = (int) Math.min(remaining, limit - position);
            sink.write(buffer, position, n);
            position += n;
            remaining -= n;
        }
        return true;
    }

    /** Reads and drops exactly {@code count} octets (a refused BDAT chunk); false on EOF. */
    public boolean skip(long count) {
        long remaining = count;
        while (remaining > 0) {
            if (!fill()) {
                return false;
            }
            int n = (int) Math.min(remaining, limit - position);
            position += n;
            remaining -= n;
        }
        return true;
    }

    private boolean fill() {
        if (position < limit) {
            return true;
        }
        try {
            beforeBlockingRead.flush();
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
