package dev.postvault.smtp.client;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One SMTP client connection to another server (RFC 5321), for outbound delivery: greeting, EHLO (HELO
 * if EHLO is refused), STARTTLS whenever offered and a TLS context is given (RFC 3207), then any
 * number of transactions on the same connection, each answered per recipient. Blocking; one thread.
 * Written here rather than taken from a library: the JDK has none, and Jakarta Mail's transport
 * hides the per-recipient replies and TLS details delivery needs (docs/architecture.md).
 */
public final class SmtpClient implements AutoCloseable {
    /** A reply (RFC 5321 §4.2): code, and the text of its lines (the enhanced code, if any, left in). */
    public record Reply(int code, List<String> lines) {
        public boolean positive() {
            return code >= 200 && code < 400;
        }

        public boolean permanent() {
            return code >= 500;
        }

        @Override
        public String toString() {
            return code + " " + String.join(" / ", lines);
        }
    }

    /**
     * What a transaction came to: each recipient's answer (RCPT's refusal, or the reply to the data),
     * and whether the server offered DSN and took the request on (RFC 3461 §5.2: then reports are its job).
     */
    public record Result(Map<String, Reply> recipients, boolean dsnPassedOn) {
        public Result(Map<String, Reply> recipients) {
            this(recipients, false);
        }
    }

    /**
     * A sender's DSN request to pass on (RFC 3461 §4, as the submitter gave it).
     *
     * @param ret "FULL", "HDRS" or ""
     * @param envelopeId ENVID decoded, or ""
     * @param notifyOn by recipient, NOTIFY's value
     * @param originalRecipients by recipient, ORCPT as "addr-type;address"
     */
    public record Dsn(String ret, String envelopeId, Map<String, String> notifyOn, Map<String, String> originalRecipients) {
        public static final Dsn NONE = new Dsn("", "", Map.of(), Map.of());
    }

    /** Thrown when the connection cannot be used (I/O, a broken reply, a refused greeting or EHLO). */
    public static class SmtpClientException extends IOException {
        private final Optional<Reply> reply;

        public SmtpClientException(String message, Optional<Reply> reply) {
            super(message);
            this.reply = reply;
        }

        /** The server's reply that ended it, when there was one. */
        public Optional<Reply> reply() {
            return reply;
        }
    }

    /** The server does not offer REQUIRETLS (RFC 8689 §4.2.1): a REQUIRETLS message may not go to it. */
    public static final class RequireTlsRefused extends SmtpClientException {
        public RequireTlsRefused() {
            super("the server does not offer REQUIRETLS", Optional.empty());
        }
    }

    private static final int MAX_REPLY_LINE = 4096;
    private static final int MAX_REPLY_LINES = 100;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final List<String> extensions = new ArrayList<>();
    private boolean tls;

    private SmtpClient(Socket socket) throws IOException {
        bind(socket);
    }

    /**
     * Connects, reads the greeting, says EHLO and upgrades to TLS when the server offers STARTTLS and
     * {@code tls} is given.
     *
     * @param serverName the name the server's certificate must carry (the MX host name)
     * @param requireTls fail rather than go on in clear (MTA-STS enforce, DANE, REQUIRETLS)
     */
    public static SmtpClient connect(InetSocketAddress address, String serverName, String ehloName, Duration timeout,
                                     Optional<SSLContext> tls, boolean requireTls) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            SmtpClient c = new SmtpClient(s);
            Reply greeting = c.reply();
            if (greeting.code() != 220) throw new SmtpClientException("greeting refused", Optional.of(greeting)); // RFC 5321 §3.1
            c.hello(ehloName);
            if (tls.isPresent() && c.offers("STARTTLS")) {
                Reply ready = c.command("STARTTLS");
                if (ready.code() != 220) {
                    if (requireTls) throw new SmtpClientException("STARTTLS refused", Optional.of(ready));
                } else {
                    c.startTls(tls.get(), serverName, address.getPort());
                    c.hello(ehloName); // RFC 3207 §4.2: what was learnt before TLS is forgotten
                }
            }
            if (requireTls && !c.tls) throw new SmtpClientException("TLS required but not offered", Optional.empty());
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Whether the session runs under TLS. */
    public boolean tls() {
        return tls;
    }

    /** Whether the last EHLO reply named this extension keyword. */
    public boolean offers(String keyword) {
        String k = keyword.toUpperCase(Locale.ROOT);
        return extensions.stream().anyMatch(e -> e.equals(k) || e.startsWith(k + " "));
    }

    /**
     * One transaction (RFC 5321 §3.3): MAIL, RCPT for each recipient, DATA if any was accepted. The
     * message must use CRLF line ends; it is dot-stuffed here (§4.5.2).
     */
    public Result send(String reversePath, List<String> recipients, byte[] message, boolean eightBit, boolean smtpUtf8) throws IOException {
        return send(reversePath, recipients, message, eightBit, smtpUtf8, Dsn.NONE);
    }

    /** As above, passing the sender's DSN request on when the server offers DSN (RFC 3461 §5.2.1). */
    public Result send(String reversePath, List<String> recipients, byte[] message, boolean eightBit, boolean smtpUtf8, Dsn dsn)
            throws IOException {
        return send(reversePath, recipients, message, eightBit, smtpUtf8, dsn, false);
    }

    /**
     * As above; with {@code requireTls} the transaction carries REQUIRETLS (RFC 8689 §4.2.1), and a
     * server that does not offer it (or a session not under TLS) is refused before MAIL.
     *
     * @throws RequireTlsRefused when the server cannot take a REQUIRETLS message
     */
    public Result send(String reversePath, List<String> recipients, byte[] message, boolean eightBit, boolean smtpUtf8, Dsn dsn,
                       boolean requireTls) throws IOException {
        if (requireTls && (!tls || !offers("REQUIRETLS"))) throw new RequireTlsRefused();
        boolean passDsn = offers("DSN");
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(reversePath).append('>');
        if (offers("SIZE")) mail.append(" SIZE=").append(message.length); // RFC 1870
        if (eightBit && offers("8BITMIME")) mail.append(" BODY=8BITMIME"); // RFC 6152
        if (smtpUtf8 && offers("SMTPUTF8")) mail.append(" SMTPUTF8"); // RFC 6531
        if (passDsn && !dsn.ret().isEmpty()) mail.append(" RET=").append(dsn.ret()); // RFC 3461 §4.3
        if (requireTls) mail.append(" REQUIRETLS"); // RFC 8689 §4.2.1
        if (passDsn && !dsn.envelopeId().isEmpty()) {
            mail.append(" ENVID=").append(dev.postvault.smtp.codec.DsnParameters.encodeXtext(dsn.envelopeId())); // §4.4
        }
        Reply m = command(mail.toString());
        Map<String, Reply> results = new LinkedHashMap<>();
        if (!m.positive()) {
            for (String r : recipients) results.put(r, m);
            command("RSET");
            return new Result(results);
        }
        List<String> accepted = new ArrayList<>();
        for (String r : recipients) {
            StringBuilder rcpt = new StringBuilder("RCPT TO:<").append(r).append('>');
            if (passDsn) {
                // §5.2.1: NOTIFY as given (the default, when none was, is ours to apply and not to pass on)
                // and ORCPT, which is the address the sender wrote, or this one when none was given.
                if (dsn.notifyOn().containsKey(r)) rcpt.append(" NOTIFY=").append(dsn.notifyOn().get(r));
                String orcpt = dsn.originalRecipients().getOrDefault(r, "rfc822;" + r);
                int semi = orcpt.indexOf(';');
                rcpt.append(" ORCPT=").append(orcpt, 0, semi + 1)
                        .append(dev.postvault.smtp.codec.DsnParameters.encodeXtext(orcpt.substring(semi + 1)));
            }
            Reply rr = command(rcpt.toString());
            if (rr.positive()) accepted.add(r);
            else results.put(r, rr);
        }
        if (accepted.isEmpty()) {
            command("RSET");
            return new Result(results);
        }
        Reply go = command("DATA");
        if (go.code() != 354) {
            for (String r : accepted) results.put(r, go);
            return new Result(results);
        }
        writeDotStuffed(message);
        Reply done = reply();
        for (String r : accepted) results.put(r, done);
        return new Result(results, passDsn);
    }

    /** QUIT and close; errors on the way out are ignored. */
    @Override
    public void close() {
        try {
            command("QUIT");
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private void hello(String name) throws IOException {
        Reply ehlo = command("EHLO " + name);
        extensions.clear();
        if (ehlo.code() == 250) {
            for (int i = 1; i < ehlo.lines().size(); i++) extensions.add(ehlo.lines().get(i).toUpperCase(Locale.ROOT));
            return;
        }
        Reply helo = command("HELO " + name); // RFC 5321 §3.2: a server that does not know EHLO
        if (helo.code() != 250) throw new SmtpClientException("EHLO and HELO refused", Optional.of(helo));
    }

    private void startTls(SSLContext context, String serverName, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, serverName, port, true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the MX host (RFC 8461 §4.2, RFC 6125)
        ssl.setSSLParameters(p);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        bind(ssl);
        tls = true;
    }

    private void bind(Socket s) throws IOException {
        socket = s;
        in = new java.io.BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    private Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    /** RFC 5321 §4.5.2: a line that starts with "." gets one more; the data ends with CRLF "." CRLF. */
    private void writeDotStuffed(byte[] message) throws IOException {
        boolean lineStart = true;
        int from = 0;
        for (int i = 0; i < message.length; i++) {
            if (lineStart && message[i] == '.') {
                out.write(message, from, i - from);
                out.write('.');
                from = i;
            }
            lineStart = message[i] == '\n';
        }
        out.write(message, from, message.length - from);
        if (message.length > 0 && message[message.length - 1] != '\n') out.write(new byte[] {'\r', '\n'});
        out.write(new byte[] {'.', '\r', '\n'});
        out.flush();
    }

    /** Reads one reply, checking its form (RFC 5321 §4.2); limits the lines a server may send. */
    private Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1)) || !Character.isDigit(line.charAt(2))
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpClientException("malformed reply", Optional.empty());
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (lines.size() > MAX_REPLY_LINES) throw new SmtpClientException("reply too long", Optional.empty());
            if (line.length() == 3 || line.charAt(3) == ' ') return new Reply(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines));
        }
    }

    private String readLine() throws IOException {
        var buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) throw new SmtpClientException("connection closed", Optional.empty());
            if (b == '\n') break;
            if (buf.size() >= MAX_REPLY_LINE) throw new SmtpClientException("reply line too long", Optional.empty());
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
