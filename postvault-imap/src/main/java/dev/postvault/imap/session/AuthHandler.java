package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;
import dev.postvault.imap.codec.ImapCommandReader;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.imap.codec.Octets;
import dev.postvault.imap.codec.SaslResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * LOGIN (RFC 9051 §6.2.3) and AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with SASL-IR (RFC 4959):
 * turning the wire forms into a user name and password. Checking them is the session's job.
 */
final class AuthHandler {
    private AuthHandler() {}

    record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[redacted]";
        }
    }

    sealed interface Outcome {
        record Ok(Credentials credentials) implements Outcome {}

        record Failed(boolean bad, String message) implements Outcome {}
    }

    static Outcome login(ImapCommand.Login l) {
        return new Outcome.Ok(new Credentials(l.userName(), l.password()));
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
        return plain(response).<Outcome>map(Outcome.Ok::new).orElse(new Outcome.Failed(true, "Malformed PLAIN response"));
    }

    /** RFC 4616 §2: message = [authzid] NUL authcid NUL passwd; we act only as ourselves. */
    static Optional<Credentials> plain(Octets decoded) {
        byte[] b = decoded.toByteArray();
        int first = indexOf(b, 0);
        int second = first < 0 ? -1 : indexOf(b, first + 1);
        if (first < 0 || second < 0 || indexOf(b, second + 1) >= 0) return Optional.empty();
        String authz = new String(b, 0, first, StandardCharsets.UTF_8);
        String authc = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
        String pass = new String(b, second + 1, b.length - second - 1, StandardCharsets.UTF_8);
        java.util.Arrays.fill(b, (byte) 0);
        if (!authz.isEmpty() && !authz.equalsIgnoreCase(authc)) return Optional.empty();
        if (authc.isEmpty()) return Optional.empty();
        return Optional.of(new Credentials(authc, pass));
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == 0) return i;
        return -1;
    }
}
