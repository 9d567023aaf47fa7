package dev.postvault.mime;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Content-Disposition (RFC 2183 §2): the lower-cased disposition type, e.g. {@code inline} or
 * {@code attachment}, and its parameters (names lower-cased, values RFC 2231-decoded, in header order).
 */
public record Disposition(String type, Map<String, String> params) {
    public Disposition {
        Objects.requireNonNull(type, "type");
        type = type.toLowerCase(Locale.ROOT);
        params = MimePart.copyParams(params);
    }

    /** The {@code filename} parameter (RFC 2183 §2.3), if any. */
    public Optional<String> filename() {
        return Optional.ofNullable(params.get("filename"));
    }
}
