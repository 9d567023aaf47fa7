package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapCommandReader;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.Octets;
import dev.postvault.imap.codec.SaslResponse;
import dev.postvault.imap.codec.ResponseCode;
import dev.postvault.net.SaslPlain;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.OpenMailbox;
import java.util.Locale;

/**
 * LOGIN (RFC 9051 §6.2.3) and AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with SASL-IR (RFC 4959):
 * the wire forms become a user name and password, which go through the store's one login path
 * ({@link dev.postvault.store.account.Logins}: throttle, password, mailbox, spool).
 */
final class AuthHandler {
    private AuthHandler() {}

    static Next login(Exchange x, ImapCommand.Login c) {
        return open(x, login(c));
    }

    static Next authenticate(Exchange x, ImapCommand.Authenticate c) {
        if (!x.session().plaintextAuthAllowed()) {
            x.out().no(x.tag(), ResponseCode.Simple.PRIVACYREQUIRED, "Use TLS first");
            return Next.CONTINUE;
        }
        return open(x, authenticate(c, x.session().reader(), x.out()));
    }

    private static Next open(Exchange x, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Failed f -> f.bad() ? x.bad(f.message()) : noWith(x, f.message());
            case Outcome.Ok ok -> {
                if (!x.session().plaintextAuthAllowed()) {
                    x.out().no(x.tag(), ResponseCode.Simple.PRIVACYREQUIRED, "Use TLS first");
                    yield Next.CONTINUE;
                }
                OpenMailbox login;
                try {
                    login = x.session().logins().open(ok.credentials().user(), ok.credentials().password(), x.session().remoteAddress());
                } catch (StoreException e) {
                    if (e.kind() != StoreException.Kind.AUTHENTICATION_FAILED) throw e;
                    x.out().no(x.tag(), ResponseCode.Simple.AUTHENTICATIONFAILED, "Authentication failed");
                    if (!x.session().failedLogin()) yield Next.CONTINUE;
                    x.out().bye("Too many failed logins");
                    yield Next.CLOSE;
                }
                x.session().loggedIn(login);
                x.out().ok(x.tag(), new ResponseCode.Capability(Capabilities.of(x.session())), "Logged in");
                yield Next.CONTINUE;
            }
        };
    }

    private static Next noWith(Exchange x, String message) {
        x.out().no(x.tag(), message);
        return Next.CONTINUE;
    }

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
