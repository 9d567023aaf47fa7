package dev.postvault.smtp.session;

import dev.postvault.smtp.codec.MailParameters;
import dev.postvault.smtp.codec.MessageBuffer;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** The mutable state of the transaction in progress (RFC 5321 §3.3). Session-internal. */
final class Envelope {

    Optional<String> reversePath = Optional.empty();
    MailParameters parameters = MailParameters.NONE;
    final Set<String> recipients = new LinkedHashSet<>();
    /** NOTIFY and ORCPT of the recipients that gave them (RFC 3461). */
    final java.util.Map<String, dev.postvault.smtp.codec.DsnParameters.Recipient> recipientDsn = new java.util.HashMap<>();
    String id = "";
    /** BDAT chunks received so far (RFC 3030 §2); empty until the first chunk. */
    Optional<MessageBuffer> chunks = Optional.empty();

    void begin(Optional<String> sender, MailParameters mailParameters) {
        reset();
        reversePath = sender;
        parameters = mailParameters;
    }

    void reset() {
        reversePath = Optional.empty();
        parameters = MailParameters.NONE;
        recipients.clear();
        recipientDsn.clear();
        id = "";
        chunks = Optional.empty();
    }
}
