package dev.postvault.smtp.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats the Received trace header a receiving SMTP server prepends (RFC 5321 §4.4).
 *
 * <p>Privacy: the optional {@code for <address>} clause is deliberately never written, so the header
 * does not reveal the envelope recipient to other recipients of the same message.
 */
public final class ReceivedHeader {

    /** RFC 5322 §3.3 date-time, numeric zone. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private ReceivedHeader() {}

    /**
     * @param heloName the EHLO/HELO argument (already validated as Domain or address literal)
     * @param remote the client's IP address, written as an address literal (TCP-info)
     * @param byHost our host name
     * @param protocol the "with" keyword
     * @param id our transaction id
     * @param date the time of receipt
     */
    public static byte[] format(String heloName, InetAddress remote, String byHost, TraceProtocol protocol,
            String id, ZonedDateTime date) {
        return format(heloName, java.util.Optional.of(remote), byHost, protocol, id, date);
    }

    /**
     * As above; without {@code remote} the TCP-info is left out (RFC 5321 §4.4 makes it optional in
     * Extended-Domain), as submission does by default so recipients do not learn the sender's address.
     */
    public static byte[] format(String heloName, java.util.Optional<InetAddress> remote, String byHost, TraceProtocol protocol,
            String id, ZonedDateTime date) {
        // RFC 5321 §4.4: Time-stamp-line = "Received:" FWS Stamp; Stamp = From-domain By-domain Opt-info ";" date-time
        String header = "Received: from " + heloName + remote.map(r -> " (" + addressLiteral(r) + ")").orElse("") + "\r\n"
                + "\tby " + byHost + " with " + protocol.name() + " id " + id + ";\r\n"
                + "\t" + DATE.format(date) + "\r\n";
        return header.getBytes(StandardCharsets.US_ASCII);
    }

    /** address-literal (RFC 5321 §4.1.3): {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
    public static String addressLiteral(InetAddress address) {
        return switch (address) {
            case Inet4Address v4 -> "[" + v4.getHostAddress() + "]";
            case Inet6Address v6 -> "[IPv6:" + stripScope(v6.getHostAddress()) + "]";
            default -> "[" + address.getHostAddress() + "]";
        };
    }

    private static String stripScope(String host) {
        int percent = host.indexOf('%');
        return percent < 0 ? host : host.substring(0, percent);
    }
}
