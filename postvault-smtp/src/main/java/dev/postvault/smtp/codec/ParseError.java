package dev.postvault.smtp.codec;

/** Why a command line was refused by the parser, with the one reply each maps to. */
public enum ParseError {
    /** RFC 5321 §4.2.4 / RFC 3463 §3.6 (5.5.1 invalid command). */
    UNKNOWN_COMMAND(500, "5.5.1", "Command not recognized"),
    /** RFC 5321 §4.5.3.1.4 ("500 Line too long"), RFC 3463 5.5.2. */
    LINE_TOO_LONG(500, "5.5.2", "Line too long"),
    /** Not valid UTF-8 / control characters in a command line (RFC 5321 §2.3.8, RFC 6531 §3.3). */
    BAD_CHARACTERS(500, "5.5.2", "Invalid characters in command"),
    /** RFC 5321 §4.2.2 (501), RFC 3463 5.5.4 invalid arguments. */
    SYNTAX(501, "5.5.4", "Syntax error in parameters or arguments"),
    /** RFC 3463 §3.2: 5.1.7 bad sender's mailbox address syntax. */
    BAD_SENDER_SYNTAX(501, "5.1.7", "Bad sender address syntax"),
    /** RFC 3463 §3.2: 5.1.3 bad destination mailbox address syntax. */
    BAD_RECIPIENT_SYNTAX(501, "5.1.3", "Bad recipient address syntax"),
    /** RFC 5321 §4.1.1.11: parameters not recognized or not implemented. */
    UNKNOWN_PARAMETER(555, "5.5.4", "Parameter not recognized or not implemented"),
    /** RFC 6531 §3.5: a non-ASCII address without the SMTPUTF8 parameter. */
    NON_ASCII_ADDRESS(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");

    private final SmtpReply reply;

    ParseError(int code, String enhancedCode, String text) {
        this.reply = SmtpReply.of(code, enhancedCode, text);
    }

    public SmtpReply reply() {
        return reply;
    }
}
