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

    static byte[] failed(String hostname, String sender, Instant arrived, List<OutboundQueue.Recipient> failed, byte[] original, Instant now) {
        return report(hostname, sender, arrived, failed, original, now, null);
    }

    /**
     * A notice that {@code pending} are not delivered yet and will be tried until {@code retryUntil}
     * (RFC 3464 §2.3.3 Action: delayed, §2.3.9 Will-Retry-Until).
     */
    static byte[] delayed(String hostname, String sender, Instant arrived, List<OutboundQueue.Recipient> pending, byte[] original, Instant now,
                          Instant retryUntil) {
        return report(hostname, sender, arrived, pending, original, now, retryUntil);
    }

    private static byte[] report(String hostname, String sender, Instant arrived, List<OutboundQueue.Recipient> failed, byte[] original,
                                 Instant now, Instant retryUntil) {
        boolean delayed = retryUntil != null;
        String boundary = "report-" + Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
        String domain = sender.substring(sender.lastIndexOf('@') + 1);
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery System <mailer-daemon@").append(hostname).append(">\r\n");
        m.append("To: <").append(sender).append(">\r\n");
        m.append(delayed ? "Subject: Delayed mail (still being retried)\r\n" : "Subject: Undelivered mail returned to sender\r\n");
        m.append("Date: ").append(DATE.format(now)).append("\r\n");
        m.append("Message-ID: <dsn-").append(Long.toHexString(RANDOM.nextLong())).append('@').append(domain).append(">\r\n");
        m.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834 §5
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status; boundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        if (delayed) {
            m.append("Your message has not been delivered yet to ").append(failed.size() == 1 ? "this recipient" : "these recipients")
                    .append(". It will be tried until ").append(DATE.format(retryUntil)).append("; you need not send it again.\r\n\r\n");
        } else {
            m.append("Your message could not be delivered to ").append(failed.size() == 1 ? "this recipient" : "these recipients")
                    .append(":\r\n\r\n");
        }
        for (OutboundQueue.Recipient r : failed) m.append("  ").append(r.address()).append(": ").append(r.lastReply()).append("\r\n");
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: message/delivery-status\r\n\r\n");
        // RFC 3464 §2.2: per-message fields, then a blank line before each recipient's fields (§2.3).
        m.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        m.append("Arrival-Date: ").append(DATE.format(arrived)).append("\r\n");
        for (OutboundQueue.Recipient r : failed) {
            m.append("\r\nFinal-Recipient: rfc822; ").append(r.address()).append("\r\n");
            m.append(delayed ? "Action: delayed\r\n" : "Action: failed\r\n");
            String status = status(r.lastReply());
            m.append("Status: ").append(delayed ? "4" + status.substring(1) : status).append("\r\n");
            if (r.lastReply().matches("[245]\\d\\d .*")) m.append("Diagnostic-Code: smtp; ").append(oneLine(r.lastReply())).append("\r\n");
            m.append("Last-Attempt-Date: ").append(DATE.format(delayed ? now : r.nextAttempt())).append("\r\n");
            if (delayed) m.append("Will-Retry-Until: ").append(DATE.format(retryUntil)).append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\nContent-Type: text/rfc822-headers\r\n\r\n");
        byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
        byte[] headers = java.util.Arrays.copyOf(original, SubmissionDelivery.headerEnd(original));
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + headers.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(headers, 0, out, head.length, headers.length);
        System.arraycopy(tail, 0, out, head.length + headers.length, tail.length);
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
