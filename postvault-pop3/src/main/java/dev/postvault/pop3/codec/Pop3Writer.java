package dev.postvault.pop3.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Writes responses (RFC 1939 §3): a status line starting "+OK" or "-ERR", and multi-line responses
 * ended by a line holding a single dot. Nothing is sent until {@link #flush()}.
 */
public final class Pop3Writer {
    private final OutputStream out;

    public Pop3Writer(OutputStream out) {
        this.out = out;
    }

    public void ok(String text) {
        line(text.isEmpty() ? "+OK" : "+OK " + text);
    }

    public void err(String text) {
        err(Optional.empty(), text);
    }

    public void err(ResponseCode code, String text) {
        err(Optional.of(code), text);
    }

    public void err(Optional<ResponseCode> code, String text) {
        line("-ERR " + code.map(c -> "[" + c.wire() + "] ").orElse("") + text);
    }

    /** The SASL continuation (RFC 5034 §4): "+ " and a base64 challenge, empty for PLAIN. */
    public void continuation() {
        line("+ ");
    }

    /**
     * One line of a multi-line response that cannot start with a dot (listings, capabilities); message
     * content goes through {@link DotStuffingOutputStream} instead.
     */
    public void line(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
        write(CRLF);
    }

    /** RFC 1939 §3: the end of a multi-line response. */
    public void end() {
        write(END);
    }

    /** The stream message content is written to, between the status line and {@link #end()}. */
    public OutputStream raw() {
        return out;
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(byte[] b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};
}
