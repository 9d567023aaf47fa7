package dev.postvault.smtp.session;

import dev.postvault.net.SaslPlain;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The SASL dialogue of AUTH (RFC 4954 §4) for the two mechanisms submission offers: PLAIN
 * (RFC 4616) and LOGIN (draft-murchison-sasl-login, which Outlook and older clients still use).
 * Each challenge is a 334 line; the client answers with base64, or "*" to cancel.
 */
final class SaslExchange {

    /** Sends a 334 challenge (base64 text, possibly empty) and returns the client's answer line. */
    interface Channel {
        /** The client's line, or empty when the connection ended or the line was too long. */
        Optional<String> challenge(String base64);
    }

    /** The outcome of the dialogue. */
    sealed interface Outcome {
        record Credentials(SaslPlain.Credentials credentials) implements Outcome {}

        /** The client sent "*" (RFC 4954 §4: 501). */
        record Cancelled() implements Outcome {}

        /** Not base64, or not a valid PLAIN message (RFC 4954 §4: 501 5.5.2). */
        record Malformed() implements Outcome {}

        /** The connection ended mid-dialogue. */
        record Closed() implements Outcome {}
    }

    private static final String USERNAME = b64("Username:");
    private static final String PASSWORD = b64("Password:");

    private SaslExchange() {}

    /** PLAIN: the initial response or, without one, an empty challenge (RFC 4954 §4). */
    static Outcome plain(Optional<String> initialResponse, Channel channel) {
        Optional<String> line = initialResponse.isPresent() ? initialResponse : channel.challenge("");
        if (line.isEmpty()) return new Outcome.Closed();
        return switch (decode(line.get())) {
            case Decoded.Cancel c -> new Outcome.Cancelled();
            case Decoded.Invalid i -> new Outcome.Malformed();
            case Decoded.Bytes b -> SaslPlain.decode(b.bytes())
                    .<Outcome>map(Outcome.Credentials::new)
                    .orElseGet(Outcome.Malformed::new);
        };
    }

    /** LOGIN: user name and password, each base64 in answer to its own challenge. */
    static Outcome login(Optional<String> initialResponse, Channel channel) {
        Optional<String> userLine = initialResponse.isPresent() ? initialResponse : channel.challenge(USERNAME);
        if (userLine.isEmpty()) return new Outcome.Closed();
        String user;
        switch (decode(userLine.get())) {
            case Decoded.Cancel c -> {
                return new Outcome.Cancelled();
            }
            case Decoded.Invalid i -> {
                return new Outcome.Malformed();
            }
            case Decoded.Bytes b -> user = new String(b.bytes(), StandardCharsets.UTF_8);
        }
        Optional<String> passwordLine = channel.challenge(PASSWORD);
        if (passwordLine.isEmpty()) return new Outcome.Closed();
        return switch (decode(passwordLine.get())) {
            case Decoded.Cancel c -> new Outcome.Cancelled();
            case Decoded.Invalid i -> new Outcome.Malformed();
            case Decoded.Bytes b -> {
                String password = new String(b.bytes(), StandardCharsets.UTF_8);
                java.util.Arrays.fill(b.bytes(), (byte) 0);
                yield user.isEmpty() ? new Outcome.Malformed() : new Outcome.Credentials(new SaslPlain.Credentials(user, password));
            }
        };
    }

    private sealed interface Decoded {
        record Cancel() implements Decoded {}

        record Invalid() implements Decoded {}

        record Bytes(byte[] bytes) implements Decoded {}
    }

    /** A response line: "*" cancels, "=" is empty (RFC 4954 §4), anything else must be base64. */
    private static Decoded decode(String line) {
        String s = line.strip();
        if (s.equals("*")) return new Decoded.Cancel();
        if (s.equals("=")) return new Decoded.Bytes(new byte[0]);
        if (!dev.postvault.smtp.codec.CommandParser.isBase64(s)) return new Decoded.Invalid();
        try {
            return new Decoded.Bytes(Base64.getDecoder().decode(s));
        } catch (IllegalArgumentException e) {
            return new Decoded.Invalid();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
