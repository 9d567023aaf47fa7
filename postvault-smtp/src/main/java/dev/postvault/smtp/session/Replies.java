package dev.postvault.smtp.session;

import dev.postvault.smtp.codec.SmtpReply;
import dev.postvault.smtp.codec.Verb;
import java.util.ArrayList;
import java.util.List;

/**
 * Every reply the session sends, and the single mapping from {@link RejectionKind} to reply codes.
 * Texts never echo client input (no addresses, no arguments).
 */
public final class Replies {

    private Replies() {}

    static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "OK");
    static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Sender OK"); // RFC 3463 §3.2
    static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Recipient OK"); // RFC 3463 §3.2
    static final SmtpReply START_DATA = SmtpReply.plain(354, "End data with <CR><LF>.<CR><LF>"); // RFC 5321 §4.1.1.4
    static final SmtpReply CANNOT_VRFY =
            SmtpReply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"); // RFC 5321 §3.5.3
    static final SmtpReply HELP = SmtpReply.of(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH", "See RFC 5321");
    static final SmtpReply READY_FOR_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS"); // RFC 3207 §4
    static final SmtpReply BAD_SEQUENCE = SmtpReply.of(503, "5.5.1", "Bad sequence of commands"); // RFC 5321 §4.2.4
    static final SmtpReply NO_VALID_RECIPIENTS = SmtpReply.of(554, "5.5.1", "No valid recipients"); // RFC 2920 §3.1
    static final SmtpReply TLS_ALREADY_ACTIVE = SmtpReply.of(503, "5.5.1", "TLS already active");
    static final SmtpReply TLS_NOT_AVAILABLE = SmtpReply.of(502, "5.5.1", "STARTTLS not available"); // RFC 5321 §4.2.4
    static final SmtpReply PARAMETERS_NEED_EHLO =
            SmtpReply.of(555, "5.5.4", "Parameters not recognized without EHLO"); // RFC 5321 §4.1.1.11
    static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Too many recipients"); // RFC 5321 §4.5.3.1.10
    static final SmtpReply NON_ASCII_RECIPIENT =
            SmtpReply.of(553, "5.6.7", "Non-ASCII address requires SMTPUTF8"); // RFC 6531 §3.5
    static final SmtpReply MESSAGE_TOO_BIG =
            SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum message size"); // RFC 1870 §6.1
    static final SmtpReply MESSAGE_LINE_TOO_LONG =
            SmtpReply.of(554, "5.6.0", "Message contains a line that is too long"); // RFC 5321 §4.5.3.1.6
    static final SmtpReply LOCAL_ERROR =
            SmtpReply.of(451, "4.3.0", "Requested action aborted: local error in processing"); // RFC 5321 §4.2.3

    // RFC 4954 §4 and §6: the replies of AUTH.
    static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication successful");
    static final SmtpReply AUTH_FAILED = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    static final SmtpReply AUTH_TEMPORARY = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    static final SmtpReply AUTH_REQUIRED = SmtpReply.of(530, "5.7.0", "Authentication required");
    static final SmtpReply ENCRYPTION_REQUIRED =
            SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    static final SmtpReply UNKNOWN_MECHANISM = SmtpReply.of(504, "5.5.4", "Unrecognized authentication type");
    static final SmtpReply AUTH_CANCELLED = SmtpReply.of(501, "5.0.0", "Authentication cancelled");
    static final SmtpReply AUTH_MALFORMED = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    static final SmtpReply ALREADY_AUTHENTICATED = SmtpReply.of(503, "5.5.1", "Already authenticated");
    static final SmtpReply AUTH_NOT_AVAILABLE = SmtpReply.of(502, "5.5.1", "AUTH is not available on this port");

    static SmtpReply challenge(String base64) {
        return SmtpReply.plain(334, base64); // RFC 4954 §4: "334" SP [base64]
    }

    static SmtpReply throttled(String text) {
        return SmtpReply.of(454, "4.7.0", text);
    }

    static SmtpReply tooManyAuthFailures(String hostname) {
        return SmtpReply.of(421, "4.7.0", hostname + " too many failed logins, closing connection");
    }

    static SmtpReply greeting(String hostname) {
        return SmtpReply.plain(220, hostname + " ESMTP ready"); // RFC 5321 §4.3.1; RFC 2034 §3: no enhanced code
    }

    static SmtpReply helo(String hostname) {
        return SmtpReply.plain(250, hostname); // RFC 2034 §3: no enhanced code on HELO/EHLO replies
    }

    /** The EHLO reply: our name, then one extension keyword per line (RFC 5321 §4.1.1.1). */
    static SmtpReply ehlo(String hostname, int maxMessageBytes, boolean offerStartTls) {
        return ehlo(hostname, maxMessageBytes, offerStartTls, false);
    }

    static SmtpReply ehlo(String hostname, int maxMessageBytes, boolean offerStartTls, boolean offerAuth) {
        return ehlo(hostname, maxMessageBytes, offerStartTls, offerAuth, false, false);
    }

    /**
     * The EHLO reply, with AUTH PLAIN LOGIN when {@code offerAuth} (RFC 4954 §3), DSN when
     * {@code offerDsn} (RFC 3461 §4), REQUIRETLS when {@code offerRequireTls} (RFC 8689 §3).
     */
    static SmtpReply ehlo(String hostname, int maxMessageBytes, boolean offerStartTls, boolean offerAuth, boolean offerDsn,
                          boolean offerRequireTls) {
        List<String> lines = new ArrayList<>(List.of(
                hostname,
                "PIPELINING", // RFC 2920
                "SIZE " + maxMessageBytes, // RFC 1870
                "8BITMIME", // RFC 6152
                "SMTPUTF8", // RFC 6531
                "ENHANCEDSTATUSCODES", // RFC 2034
                "CHUNKING")); // RFC 3030
        if (offerStartTls) {
            lines.add("STARTTLS"); // RFC 3207
        }
        if (offerAuth) {
            lines.add("AUTH PLAIN LOGIN"); // RFC 4954 §3
        }
        if (offerDsn) {
            lines.add("DSN"); // RFC 3461 §4
        }
        if (offerRequireTls) {
            lines.add("REQUIRETLS"); // RFC 8689 §3
        }
        lines.add("HELP");
        return SmtpReply.plain(250, lines.toArray(String[]::new));
    }

    static SmtpReply delivered(String transactionId) {
        return SmtpReply.of(250, "2.0.0", "OK id=" + transactionId);
    }

    static SmtpReply chunkReceived(long bytes) {
        return SmtpReply.of(250, "2.0.0", bytes + " octets received"); // RFC 3030 §2
    }

    static SmtpReply closing(String hostname) {
        return SmtpReply.of(221, "2.0.0", hostname + " closing connection"); // RFC 5321 §4.1.1.10
    }

    static SmtpReply tooManyErrors(String hostname) {
        return SmtpReply.of(421, "4.7.0", hostname + " too many errors, closing connection"); // RFC 5321 §3.8
    }

    static SmtpReply timeout(String hostname) {
        return SmtpReply.of(421, "4.4.2", hostname + " timeout, closing connection"); // RFC 5321 §4.5.3.2
    }

    /** Refusal of a command in the wrong state. */
    static SmtpReply outOfSequence(Verb verb, SessionState state) {
        boolean dataWithoutRecipients = (verb == Verb.DATA || verb == Verb.BDAT) && state == SessionState.MAIL;
        return dataWithoutRecipients ? NO_VALID_RECIPIENTS : BAD_SEQUENCE;
    }

    /** The single place where a port rejection becomes an SMTP reply. */
    public static SmtpReply rejection(RejectionKind kind) {
        return switch (kind) {
            case UNKNOWN_RECIPIENT -> SmtpReply.of(550, "5.1.1", "Mailbox unavailable"); // RFC 3463 §3.2
            case RELAY_DENIED -> SmtpReply.of(550, "5.7.1", "Relaying denied"); // RFC 3463 §3.8
            case MAILBOX_FULL -> SmtpReply.of(452, "4.2.2", "Mailbox full, try again later"); // RFC 3463 §3.3
            case TOO_BIG -> MESSAGE_TOO_BIG; // RFC 5321 §4.2.3 (552), RFC 3463 §3.4
            case TEMPORARY -> LOCAL_ERROR; // RFC 5321 §4.2.3 (451)
            case SYSTEM_FULL -> SmtpReply.of(452, "4.3.1", "Insufficient system storage, try again later"); // RFC 5321 §4.2.3, RFC 3463 §3.4
            case REJECTED -> SmtpReply.of(550, "5.7.0", "Message rejected by policy"); // RFC 3463 §3.8
            case SENDER_NOT_ALLOWED -> SmtpReply.of(550, "5.7.1",
                    "Sender address is not one this login may send as"); // RFC 6409 §6.1, RFC 3463 §3.8
            case NO_FROM_FIELD -> SmtpReply.of(550, "5.6.0", "Message has no From: header field"); // RFC 5322 §3.6, RFC 3463 §3.7
            case RATE_LIMITED -> SmtpReply.of(450, "4.7.1",
                    "Sending limit reached: too many messages in the last hour, try again later"); // RFC 3463 §3.8
        };
    }
}
