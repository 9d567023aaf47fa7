package dev.postvault.pop3.session;

import dev.postvault.net.SaslPlain;
import dev.postvault.pop3.codec.Pop3Command;
import dev.postvault.pop3.codec.Pop3LineReader;
import dev.postvault.pop3.codec.Pop3Writer;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * USER and PASS (RFC 1939 §7) and AUTH PLAIN (RFC 5034 §4, RFC 4616): turning the wire forms into a
 * user name and password. Checking them is the session's job.
 */
final class AuthHandler {
    sealed interface Outcome {
        record Credentials(SaslPlain.Credentials credentials) implements Outcome {}

        /** Answered already (USER, AUTH's mechanism list); nothing to check. */
        record Answered() implements Outcome {}

        /** A client error: answered -ERR without counting as a failed login. */
        record Refused(String message) implements Outcome {}
    }

    private Optional<String> user = Optional.empty();

    /** RFC 1939 §7: USER is accepted whatever the name, so it reveals nothing about which names exist. */
    Outcome user(Pop3Command.User u, Pop3Writer w) {
        user = Optional.of(u.name());
        w.ok("Send PASS");
        return new Outcome.Answered();
    }

    /** RFC 1939 §7: PASS right after a USER. */
    Outcome pass(Pop3Command.Pass p) {
        Optional<String> name = user;
        user = Optional.empty();
        if (name.isEmpty()) return new Outcome.Refused("Send USER first");
        return new Outcome.Credentials(new SaslPlain.Credentials(name.get(), p.password()));
    }

    /** Any command other than PASS after USER starts over (RFC 1939 §7: PASS must follow USER). */
    void forgetUser() {
        user = Optional.empty();
    }

    /** RFC 5034 §4. */
    Outcome auth(Pop3Command.Auth a, Pop3LineReader reader, Pop3Writer w, int maxSaslLineBytes) throws IOException {
        forgetUser();
        if (a.mechanism().isEmpty()) {
            // RFC 1734's listing form, still sent by clients probing for mechanisms.
            w.ok("Mechanisms follow");
            w.line("PLAIN");
            w.end();
            return new Outcome.Answered();
        }
        if (!a.mechanism().get().toUpperCase(Locale.ROOT).equals("PLAIN")) {
            return new Outcome.Refused("Unsupported authentication mechanism");
        }
        String response;
        if (a.initialResponse().isPresent()) {
            response = a.initialResponse().get().equals("=") ? "" : a.initialResponse().get(); // RFC 5034 §4: "=" is empty
        } else {
            w.continuation();
            w.flush();
            switch (reader.read(maxSaslLineBytes)) {
                case Pop3LineReader.Line.Text t -> response = t.text();
                case Pop3LineReader.Line.TooLong l -> {
                    return new Outcome.Refused("SASL response too long");
                }
                case Pop3LineReader.Line.InvalidUtf8 i -> {
                    return new Outcome.Refused("Invalid SASL response");
                }
                case Pop3LineReader.Line.EndOfStream e -> throw new java.io.EOFException();
            }
            if (response.equals("*")) return new Outcome.Refused("Authentication cancelled"); // RFC 5034 §4
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(response);
        } catch (IllegalArgumentException e) {
            return new Outcome.Refused("Invalid base64 in SASL response");
        }
        return SaslPlain.decode(decoded).<Outcome>map(Outcome.Credentials::new).orElse(new Outcome.Refused("Malformed PLAIN response"));
    }
}
