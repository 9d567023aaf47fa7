package dev.postvault.smtp.session;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;

/** The connection a session runs on, as seen by the session. Implemented over a socket by the server. */
public interface SmtpTransport {

    /** Short opaque id, for logs. */
    String connectionId();

    InetAddress remoteAddress();

    /** Current input; changes after {@link #startTls()}. */
    InputStream input();

    /** Current output; changes after {@link #startTls()}. */
    OutputStream output();

    /** The connection is encrypted (after STARTTLS, or from the start on an implicit-TLS listener). */
    boolean tlsActive();

    /** STARTTLS may be offered: a TLS context is configured and TLS is not yet active. */
    boolean tlsAvailable();

    /**
     * Performs the server side of the TLS handshake over the current connection; afterwards
     * {@link #input()} and {@link #output()} are the encrypted streams. Throws
     * {@link java.io.UncheckedIOException} when the handshake fails.
     */
    void startTls();

    /** Sets how long a single read may block before it fails with a timeout. */
    void readTimeout(Duration timeout);
}
