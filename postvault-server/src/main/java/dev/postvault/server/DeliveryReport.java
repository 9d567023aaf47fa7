package dev.postvault.server;

import dev.postvault.store.outbound.OutboundQueue;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A delivery status notification (RFC 3464) for recipients that failed for good: multipart/report
 * with a readable part, message/delivery-status, and the original's header (RFC 6522). It goes into
 * the sender's own mailbox; a report is never sent for a report (it has the null sender).
 */
final class DeliveryReport {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeliveryReport() {}

    /** What happened to one recipient, as a report tells it (RFC 3464 §2.3). */
    enum Action { FAILED, DELAYED, DELIVERED, RELAYED }

    /** One recipient's lines of a report. */
    record Line(String recipient, String originalRecipient, String reply, Instant lastAttempt) {
        static Line of(OutboundQueue.Recipient r, OutboundQueue.Dsn dsn) {
            return new Line(r.address(), dsn.originalRecipients().getOrDefault(r.address(), ""), r.lastReply(), r.nextAttempt());
        }
    }

    static byte[] failed(String hostname, String sender, Instant arrived, List<Line> failed, byte[] original, Instant now,
                         OutboundQueue.Dsn dsn) {
        return report(Action.FAILED, hostname, sender, arrived, failed, original, now, null, dsn);
    }

    /**
     * A notice that {@code pending} are not delivered yet and will be tried until {@code retryUntil}
     * (RFC 3464 §2.3.3 Action: delayed, §2.3.9 Will-Retry-Until).
     */
    static byte[] delayed(String hostname, String sender, Instant arrived, List<Line> pending, byte[] original, Instant now,
                          Instant retryUntil, OutboundQueue.Dsn dsn) {
        return report(Action.DELAYED, hostname, sender, arrived, pending, original, now, retryUntil, dsn);
    }

    /**
     * A success notice (RFC 3461 §6.2, NOTIFY=SUCCESS): DELIVERED for a mailbox on this server,
     * RELAYED for a server that did not take the DSN request on, so that no report will come from it.
     */
    static byte[] succeeded(Action action, String hostname, String sender, Instant arrived, List<Line> recipients, byte[] original,
                            Instant now, OutboundQueue.Dsn dsn) {
        return report(action, hostname, sender, arrived, recipients, original, now, null, dsn);
    }

    private static byte[] report(Action action, String hostname, String sender, Instant arrived, List<Line> lines, byte[] original,
                                 Instant now, Instant retryUntil, OutboundQueue.Dsn dsn) {
        boolean delayed = action == Action.DELAYED;
        String boundary = "report-" + Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
        String domain = sender.substring(sender.lastIndexOf('@') + 1);
        String these = lines.size() == 1 ? "this recipient" : "these recipients";
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery System <mailer-daemon@").append(hostname).append(">\r\n");
        m.append("To: <").append(sender).append(">\r\n");
        m.append(switch (action) {
            case FAILED -> "Subject: Undelivered mail returned to sender\r\n";
            case DELAYED -> "Subject: Delayed mail (still being retried)\r\n";
            case DELIVERED -> "Subject: Successful mail delivery report\r\n";
            case RELAYED -> "Subject: Mail relayed to a server that sends no delivery reports\r\n";
        });
        m.append("Date: ").append(DATE.format(now)).append("\r\n");
        m.append("Message-ID: <dsn-").append(Long.toHexString(RANDOM.nextLong())).append('@').append(domain).append(">\r\n");
        m.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status; boundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        m.append(switch (action) {
            case FAILED -> "Your message could not be delivered to " + these + ":\r\n\r\n";
            case DELAYED -> "Your message has not been delivered yet to " + these + ". It will be tried until "
                    + DATE.format(retryUntil) + "; you need not send it again.\r\n\r\n";
            case DELIVERED -> "Your message was delivered to " + these + ":\r\n\r\n";
            case RELAYED -> "Your message was handed to the mail server of " + these
                    + ", which does not send delivery reports; you will not hear more from it:\r\n\r\n";
        });
        for (Line r : lines) m.append("  ").append(r.recipient()).append(": ").append(r.reply()).append("\r\n");
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: message/delivery-status\r\n\r\n");
        // RFC 3464 §2.2: per-message fields, then a blank line before each recipient's fields (§2.3).
        if (!dsn.envelopeId().isEmpty()) m.append("Original-Envelope-Id: ").append(dsn.envelopeId()).append("\r\n"); // §2.2.1
        m.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        m.append("Arrival-Date: ").append(DATE.format(arrived)).append("\r\n");
        for (Line r : lines) {
            m.append("\r\n");
            if (!r.originalRecipient().isEmpty()) {
                int semi = r.originalRecipient().indexOf(';');
                m.append("Original-Recipient: ").append(r.originalRecipient(), 0, semi).append("; ")
                        .append(r.originalRecipient().substring(semi + 1)).append("\r\n"); // §2.3.1
            }
            m.append("Final-Recipient: rfc822; ").append(r.recipient()).append("\r\n");
            m.append("Action: ").append(action.name().toLowerCase(Locale.ROOT)).append("\r\n");
            String status = status(r.reply());
            m.append("Status: ").append(switch (action) {
                case FAILED -> status;
                case DELAYED -> "4" + status.substring(1);
                case DELIVERED, RELAYED -> "2" + status.substring(1);
            }).append("\r\n");
            if (r.reply().matches("[245]\\d\\d .*")) m.append("Diagnostic-Code: smtp; ").append(oneLine(r.reply())).append("\r\n");
            m.append("Last-Attempt-Date: ").append(DATE.format(delayed ? now : r.lastAttempt())).append("\r\n");
            if (delayed) m.append("Will-Retry-Until: ").append(DATE.format(retryUntil)).append("\r\n");
        }
        // RFC 3461 §4.3: RET=FULL returns the whole message (message/rfc822) when it fails; otherwise,
        // and always for success and delay notices, the header only (text/rfc822-headers, RFC 6522).
        boolean full = action == Action.FAILED && dsn.ret().equals("FULL");
        m.append("\r\n--").append(boundary).append(full ? "\r\nContent-Type: message/rfc822\r\n\r\n" : "\r\nContent-Type: text/rfc822-headers\r\n\r\n");
        byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
        byte[] returned = full ? original : java.util.Arrays.copyOf(original, SubmissionDelivery.headerEnd(original));
        byte[] tail = ((full && original.length > 0 && original[original.length - 1] != '\n' ? "\r\n" : "") + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + returned.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(returned, 0, out, head.length, returned.length);
        System.arraycopy(tail, 0, out, head.length + returned.length, tail.length);
        return out;
    }

    /** The enhanced status code of a reply ("550 5.1.1 ..." gives 5.1.1), else 5.0.0 (RFC 3463). */
    static String status(String reply) {
        var m = java.util.regex.Pattern.compile("^[245]\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3})").matcher(reply);
        return m.find() ? "5" + m.group(1).substring(1) : "5.0.0";
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

}
