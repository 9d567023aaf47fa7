package dev.postvault.smtp.codec;

/**
 * An enhanced mail system status code {@code class.subject.detail} (RFC 3463 §2).
 *
 * @param statusClass 2, 4 or 5
 * @param subject 0..999
 * @param detail 0..999
 */
public record EnhancedStatusCode(int statusClass, int subject, int detail) {

    public EnhancedStatusCode {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) { // RFC 3463 §3.1
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5");
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) { // RFC 3463 §2: 1*3digit
            throw new IllegalArgumentException("enhanced status subject/detail out of range");
        }
    }

    /** Parses {@code "5.1.1"}; throws {@link IllegalArgumentException} on anything else. */
    public static EnhancedStatusCode parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not an enhanced status code");
        }
        try {
            return new EnhancedStatusCode(
                    Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an enhanced status code", e);
        }
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }
}
