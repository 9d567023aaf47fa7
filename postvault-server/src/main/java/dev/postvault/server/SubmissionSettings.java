package dev.postvault.server;

/**
 * What submission allows a login (ARCHITECTURE.md: submission).
 *
 * @param clientAddressInReceived whether the Received header of submitted mail carries the client's IP
 *     address (off by default: recipients do not learn where the sender was)
 * @param maxRecipients recipients of one message; the next RCPT gets 452 4.5.3
 * @param messagesPerHour messages one alias may submit in any hour on this node; the next MAIL gets
 *     450 4.7.1
 */
public record SubmissionSettings(boolean clientAddressInReceived, int maxRecipients, int messagesPerHour) {
    public static final SubmissionSettings DEFAULT = new SubmissionSettings(false, 100, 200);

    public SubmissionSettings {
        if (maxRecipients < 1) throw new IllegalArgumentException("--submission-max-recipients must be at least 1");
        if (messagesPerHour < 1) throw new IllegalArgumentException("--submission-messages-per-hour must be at least 1");
    }
}
