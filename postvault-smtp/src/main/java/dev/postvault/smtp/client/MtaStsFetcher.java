package dev.postvault.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Discovers and fetches MTA-STS policies (RFC 8461 §3): the {@code _mta-sts} TXT record through the
 * configured resolver, and the policy over HTTPS from {@code mta-sts.DOMAIN}, its certificate
 * verified against the given trust.
 *
 * <p>The HTTPS GET is written here rather than with the JDK's HttpClient: the policy host must be
 * resolved by the same DNS server as the MX hosts (the JDK client only uses the system resolver),
 * §3.3 forbids following redirects, and the body is capped at {@link MtaStsPolicy#MAX_POLICY_BYTES}.
 * One HTTP/1.0 request, so the answer is never chunked. Thread-safe.
 */
public final class MtaStsFetcher {
    /** What the TXT record says (§3.1). */
    public sealed interface Discovery {
        /** One valid STSv1 record with this policy id. */
        record Published(String id) implements Discovery {}

        /** No record, several, or an invalid one: "the recipient domain does not have an available policy". */
        record NotPublished() implements Discovery {}

        /** The resolver failed: a cached policy still applies. */
        record Unknown(String reason) implements Discovery {}
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3})( .*)?");
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final MxResolver dns;
    private final SSLContext trust;
    private final int port;
    private final Duration timeout;

    /**
     * @param dns the resolver MX lookups use
     * @param trust verifying TLS (PKIX to a trusted root, {@code Tls.clientVerifying})
     * @param port 443, or another in tests
     */
    public MtaStsFetcher(MxResolver dns, SSLContext trust, int port, Duration timeout) {
        this.dns = dns;
        this.trust = trust;
        this.port = port;
        this.timeout = timeout;
    }

    /** §3.1: the {@code _mta-sts.DOMAIN} TXT record. */
    public Discovery discover(String domain) {
        return switch (dns.txt("_mta-sts." + domain)) {
            case MxResolver.TxtAnswer.Temporary t -> new Discovery.Unknown(t.reason());
            case MxResolver.TxtAnswer.None n -> new Discovery.NotPublished();
            case MxResolver.TxtAnswer.Records r -> {
                // "Records that do not begin with v=STSv1; are discarded. If the number of resulting
                // records is not one, or ... syntactically invalid, senders MUST assume ... no policy."
                List<String> sts = r.texts().stream().filter(t -> t.startsWith("v=STSv1;") || t.equals("v=STSv1")).toList();
                if (sts.size() != 1) yield new Discovery.NotPublished();
                String id = null;
                for (String field : sts.getFirst().split(";")) {
                    String f = field.strip();
                    if (f.startsWith("id=")) id = f.substring(3);
                }
                yield id != null && ID.matcher(id).matches() ? new Discovery.Published(id) : new Discovery.NotPublished();
            }
        };
    }

    /**
     * §3.3: GET {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}, trying each address of the
     * host; only a 200 with a text/plain body counts, redirects are not followed.
     *
     * @throws IOException when no address answered with a policy (network, TLS, status, size)
     */
    public MtaStsPolicy fetch(String domain, String id, Instant now) throws IOException, MtaStsPolicy.InvalidPolicyException {
        String host = "mta-sts." + domain;
        List<InetAddress> addresses = dns.addresses(host);
        if (addresses == null) throw new IOException("the policy host did not resolve (temporary)");
        if (addresses.isEmpty()) throw new IOException("the policy host has no address");
        IOException last = null;
        for (InetAddress a : addresses) {
            try {
                return MtaStsPolicy.parse(get(host, a), id, now);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private byte[] get(String host, InetAddress address) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            try (SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // §3.3: the certificate must be valid for mta-sts.DOMAIN
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                tls.setSSLParameters(p);
                tls.startHandshake();
                tls.getOutputStream().write(("GET /.well-known/mta-sts.txt HTTP/1.0\r\nHost: " + host
                        + "\r\nUser-Agent: Postvault\r\nAccept: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                return body(tls.getInputStream());
            }
        }
    }

    /** Reads a response: status 200, a text/plain Content-Type, a body no larger than the cap. */
    private static byte[] body(InputStream in) throws IOException {
        String head = headers(in);
        String[] lines = head.split("\r?\n");
        Matcher status = STATUS.matcher(lines[0]);
        if (!status.matches()) throw new IOException("not an HTTP response");
        if (!status.group(1).equals("200")) throw new IOException("policy fetch answered " + status.group(1)); // §3.3: no redirects
        long length = -1;
        boolean textPlain = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) continue;
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length");
                }
            }
            if (name.equals("content-type")) textPlain = value.toLowerCase(Locale.ROOT).startsWith("text/plain");
        }
        if (!textPlain) throw new IOException("the policy is not text/plain"); // §3.3
        if (length > MtaStsPolicy.MAX_POLICY_BYTES) throw new IOException("the policy is too large");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((length < 0 || out.size() < length) && (n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MtaStsPolicy.MAX_POLICY_BYTES) throw new IOException("the policy is too large");
        }
        if (length >= 0 && out.size() < length) throw new IOException("the policy was cut short");
        byte[] b = out.toByteArray();
        return length >= 0 ? java.util.Arrays.copyOf(b, (int) length) : b;
    }

    private static String headers(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int state = 0; // how much of CRLF CRLF (or LF LF) has been seen
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("the response ended in its header");
            out.write(b);
            if (out.size() > MAX_HEADER_BYTES) throw new IOException("the response header is too large");
            if (b == '\n') {
                if (state == 1) break;
                state = 1;
            } else if (b != '\r') {
                state = 0;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
