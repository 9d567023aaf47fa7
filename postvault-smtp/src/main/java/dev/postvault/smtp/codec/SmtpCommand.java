package dev.postvault.smtp.codec;

import java.util.Optional;

/** One fully parsed SMTP command. */
public sealed interface SmtpCommand {

    /** RFC 5321 §4.1.1.1; {@code domain} is a Domain or address literal, case preserved. */
    record Ehlo(String domain) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.1. */
    record Helo(String domain) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.2; an empty reverse path is the null path {@code <>}. */
    record MailFrom(Optional<Mailbox> reversePath, MailParameters parameters) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.3; no RCPT parameters are implemented. */
    record RcptTo(Mailbox recipient, DsnParameters.Recipient dsn) implements SmtpCommand {
        public RcptTo(Mailbox recipient) {
            this(recipient, DsnParameters.Recipient.NONE);
        }
    }

    /** RFC 5321 §4.1.1.4. */
    record Data() implements SmtpCommand {}

    /** RFC 3030 §2: {@code chunkBytes} octets follow the command line verbatim. */
    record Bdat(long chunkBytes, boolean last) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.5. */
    record Rset() implements SmtpCommand {}

    /** RFC 5321 §4.1.1.9 (any argument is ignored). */
    record Noop() implements SmtpCommand {}

    /** RFC 5321 §4.1.1.10. */
    record Quit() implements SmtpCommand {}

    /** RFC 5321 §4.1.1.6; the argument is never looked up (RFC 5321 §7.3). */
    record Vrfy(String argument) implements SmtpCommand {}

    /** RFC 5321 §4.1.1.8. */
    record Help(Optional<String> topic) implements SmtpCommand {}

    /** RFC 3207 §4. */
    record StartTls() implements SmtpCommand {}

    /**
     * RFC 4954 §4: {@code mechanism} upper-cased; the initial response as sent (base64, or "=" for an
     * empty one). It holds credentials: never printed.
     */
    record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
        @Override
        public String toString() {
            return "Auth[" + mechanism + ", initial response " + (initialResponse.isPresent() ? "given" : "none") + "]";
        }
    }

    default Verb verb() {
        return switch (this) {
            case Ehlo e -> Verb.EHLO;
            case Helo h -> Verb.HELO;
            case MailFrom m -> Verb.MAIL;
            case RcptTo r -> Verb.RCPT;
            case Data d -> Verb.DATA;
            case Bdat b -> Verb.BDAT;
            case Rset r -> Verb.RSET;
            case Noop n -> Verb.NOOP;
            case Quit q -> Verb.QUIT;
            case Vrfy v -> Verb.VRFY;
            case Help h -> Verb.HELP;
            case StartTls s -> Verb.STARTTLS;
            case Auth a -> Verb.AUTH;
        };
    }
}
