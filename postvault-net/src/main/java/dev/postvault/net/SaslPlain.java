package dev.postvault.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The SASL PLAIN message (RFC 4616 §2: {@code [authzid] NUL authcid NUL passwd}), shared by IMAP
 * AUTHENTICATE and POP3 AUTH. A client may only act as itself: an authzid other than the authcid is
 * refused.
 */
public final class SaslPlain {
    private SaslPlain() {}

    /** A user name and password, never printed. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[redacted]";
        }
    }

    /** Decodes the (already base64-decoded) message; the input array is wiped. */
    public static Optional<Credentials> decode(byte[] b) {
        try {
            int first = indexOf(b, 0);
            int second = first < 0 ? -1 : indexOf(b, first + 1);
            if (first < 0 || second < 0 || indexOf(b, second + 1) >= 0) return Optional.empty();
            String authz = new String(b, 0, first, StandardCharsets.UTF_8);
            String authc = new String(b, first + 1, second - first - 1, StandardCharsets.UTF_8);
            String pass = new String(b, second + 1, b.length - second - 1, StandardCharsets.UTF_8);
            if (!authz.isEmpty() && !authz.equalsIgnoreCase(authc)) return Optional.empty();
            if (authc.isEmpty()) return Optional.empty();
            return Optional.of(new Credentials(authc, pass));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == 0) return i;
        return -1;
    }
}
