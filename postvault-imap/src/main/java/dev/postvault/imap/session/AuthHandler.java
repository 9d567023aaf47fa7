package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapCommandReader;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.Octets;
import dev.postvault.imap.codec.SaslResponse;
import dev.postvault.net.SaslPlain;
import java.util.Locale;

/**
 * LOGIN (RFC 9051 §6.2.3) and AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with SASL-IR (RFC 4959):
 * turning the wire forms into a user name and password. Checking them is the session's job.
 */
final class AuthHandler {
    private AuthHandler() {}

    sealed interface Outcome {
        record Ok(SaslPlain.Credentials credentials) implements Outcome {}

        record Failed(boolean bad, String message) implements Outcome {}
    }

    static Outcome login(ImapCommand.Login l) {
        return new Outcome.Ok(new SaslPlain.Credentials(l.userName(), l.password()));
    }

    static Outcome authenticate(ImapCommand.Authenticate a, ImapCommandReader reader, ImapResponseWriter w) {
        if (!a.mechanism().toUpperCase(Locale.ROOT).equals("PLAIN")) {
            return new Outcome.Failed(false, "Unsupported authentication mechanism");
        }
        Octets response;
        if (a.initialResponse().isPresent()) {
            response = a.initialResponse().get();
        } else {
            w.continuation("");
            w.flush();
            SaslResponse r = reader.readSaslResponse();
            switch (r) {
                case SaslResponse.Data d -> response = d.data();
                case SaslResponse.Cancelled c -> {
                    return new Outcome.Failed(true, "Authentication cancelled");
                }
                case SaslResponse.Invalid i -> {
                    return new Outcome.Failed(true, "Invalid SASL response: " + i.message());
                }
                case SaslResponse.EndOfStream e -> {
                    return new Outcome.Failed(true, "Connection closed");
                }
            }
        }
        return SaslPlain.decode(response.toByteArray()).<Outcome>map(Outcome.Ok::new).orElse(new Outcome.Failed(true, "Malformed PLAIN response"));
    }
}
