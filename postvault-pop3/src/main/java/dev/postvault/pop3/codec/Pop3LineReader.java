package dev.postvault.pop3.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines (RFC 1939 §3: terminated by CRLF; a bare LF is accepted too). A line longer
 * than the limit is read to its end and discarded, so the session can answer it and go on in step.
 */
public final class Pop3LineReader {
    /** One line read from the client. */
    public sealed interface Line {
        record Text(String text) implements Line {
            @Override
            public String toString() {
                return "Text[redacted]"; // may be a password
            }
        }

        record TooLong() implements Line {}

        record InvalidUtf8() implements Line {}

        record EndOfStream() implements Line {}
    }

    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(128);

    public Pop3LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads one line of at most {@code maxBytes} octets, CRLF included. */
    public Line read(int maxBytes) throws IOException {
        buf.reset();
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) return new Line.EndOfStream();
            if (b == '\n') break;
            if (buf.size() >= maxBytes) {
                tooLong = true; // keep reading to the end of the line, keeping nothing
                continue;
            }
            buf.write(b);
        }
        if (tooLong) return new Line.TooLong();
        byte[] bytes = buf.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
            return new Line.Text(s);
        } catch (CharacterCodingException e) {
            return new Line.InvalidUtf8();
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
