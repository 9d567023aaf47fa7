package dev.postvault.smtp.codec;

/** The MAIL BODY= parameter values we accept. BINARYMIME (RFC 3030) is not advertised, so not accepted. */
public enum BodyType {
    /** BODY=7BIT, also the default when no BODY parameter is given. */
    SEVEN_BIT,
    /** BODY=8BITMIME (RFC 6152). */
    EIGHT_BIT_MIME
}
