package dev.postvault.smtp.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A domain's MTA-STS policy (RFC 8461 §3.2), as fetched: the mode, the MX host patterns mail may go
 * to, and how long it may be cached. {@code id} is the TXT record's id it was fetched under (§3.1),
 * {@code fetchedAt} when.
 */
public record MtaStsPolicy(String id, Mode mode, List<String> mx, Duration maxAge, Instant fetchedAt) {
    /** §5: what a sender does when delivery cannot meet the policy. */
    public enum Mode {
        /** Deliver only over validated TLS to a matching MX host. */
        ENFORCE,
        /** Deliver anyway; report the failure (TLS-RPT, RFC 8460). */
        TESTING,
        /** The domain has withdrawn its policy. */
        NONE
    }

    /** §3.2: max_age is at most 31,557,600 seconds (about a year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;
    /** §3.3 leaves the limit to the sender; 64 KiB is what large senders use and ample for a few lines. */
    public static final int MAX_POLICY_BYTES = 64 * 1024;

    public MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Thrown for a policy body that is not a valid STSv1 policy. */
    public static final class InvalidPolicyException extends Exception {
        public InvalidPolicyException(String message) {
            super(message);
        }
    }

    /**
     * Parses a policy body (§3.2): "key: value" lines ending in CRLF or LF; {@code version: STSv1}, a
     * {@code mode}, a {@code max_age} and, unless the mode is none, at least one {@code mx}. Unknown keys
     * are ignored (§3.2: "implementations MUST ignore ... unknown fields").
     */
    public static MtaStsPolicy parse(byte[] body, String id, Instant fetchedAt) throws InvalidPolicyException {
        String text = new String(body, StandardCharsets.UTF_8);
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isBlank()) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new InvalidPolicyException("a line without a key");
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "version" -> {
                    if (version == null) version = value; // §3.2: a repeated field's first occurrence counts
                }
                case "mode" -> {
                    if (mode == null) mode = switch (value) {
                        case "enforce" -> Mode.ENFORCE;
                        case "testing" -> Mode.TESTING;
                        case "none" -> Mode.NONE;
                        default -> throw new InvalidPolicyException("unknown mode");
                    };
                }
                case "max_age" -> {
                    if (maxAge == null) {
                        if (!value.matches("[0-9]{1,10}")) throw new InvalidPolicyException("max_age is not a number");
                        maxAge = Math.min(Long.parseLong(value), MAX_AGE_LIMIT);
                    }
                }
                case "mx" -> {
                    String pattern = value.toLowerCase(Locale.ROOT);
                    if (!pattern.matches("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?")) {
                        throw new InvalidPolicyException("an mx pattern that is not a host name");
                    }
                    mx.add(pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern);
                }
                default -> { } // an extension field
            }
        }
        if (!"STSv1".equals(version)) throw new InvalidPolicyException("version is not STSv1");
        if (mode == null) throw new InvalidPolicyException("no mode");
        if (maxAge == null) throw new InvalidPolicyException("no max_age");
        if (mx.isEmpty() && mode != Mode.NONE) throw new InvalidPolicyException("no mx");
        return new MtaStsPolicy(id, mode, mx, Duration.ofSeconds(maxAge), fetchedAt);
    }

    /** Whether the policy may still be used at {@code now} (§5.1: until max_age after it was fetched). */
    public boolean fresh(Instant now) {
        return now.isBefore(fetchedAt.plus(maxAge));
    }

    /**
     * Whether an MX host is one the policy allows (§4.1): equal to a pattern, or matching a
     * {@code *.} pattern in exactly its leftmost label.
     */
    public boolean allows(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        for (String p : mx) {
            if (p.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) return true;
            } else if (h.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
