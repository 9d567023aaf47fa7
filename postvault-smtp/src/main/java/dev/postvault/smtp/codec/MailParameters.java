package dev.postvault.smtp.codec;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The MAIL FROM parameters this server implements; any other parameter is a 555 parse error.
 *
 * @param declaredSizeBytes SIZE= (RFC 1870 §3), the client's estimate of the message size
 * @param body BODY= (RFC 6152 §2), empty when not given (7BIT is then implied)
 * @param smtpUtf8 the SMTPUTF8 keyword was given (RFC 6531 §3.4)
 * @param auth AUTH= was given (RFC 4954 §5); legal only where AUTH is offered, and its value is never
 *     trusted, so it is not kept
 * @param ret RET= (RFC 3461 §4.3); legal only where DSN is offered
 * @param envelopeId ENVID= decoded from xtext (RFC 3461 §4.4); legal only where DSN is offered
 * @param requireTls the REQUIRETLS keyword (RFC 8689 §3); legal only where it is offered
 */
public record MailParameters(OptionalLong declaredSizeBytes, Optional<BodyType> body, boolean smtpUtf8, boolean auth,
                             Optional<DsnParameters.Ret> ret, Optional<String> envelopeId, boolean requireTls) {

    public static final MailParameters NONE = new MailParameters(OptionalLong.empty(), Optional.empty(), false, false);

    public MailParameters(OptionalLong declaredSizeBytes, Optional<BodyType> body, boolean smtpUtf8) {
        this(declaredSizeBytes, body, smtpUtf8, false);
    }

    public MailParameters(OptionalLong declaredSizeBytes, Optional<BodyType> body, boolean smtpUtf8, boolean auth) {
        this(declaredSizeBytes, body, smtpUtf8, auth, Optional.empty(), Optional.empty(), false);
    }

    /** True when at least one ESMTP parameter was given (they are only legal after EHLO). */
    public boolean any() {
        return declaredSizeBytes.isPresent() || body.isPresent() || smtpUtf8 || auth || dsn() || requireTls;
    }

    /** True when a DSN parameter (RET, ENVID) was given. */
    public boolean dsn() {
        return ret.isPresent() || envelopeId.isPresent();
    }

    /** The body type, 7BIT when none was declared. */
    public BodyType bodyType() {
        return body.orElse(BodyType.SEVEN_BIT);
    }
}
