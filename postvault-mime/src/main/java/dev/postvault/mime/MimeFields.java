package dev.postvault.mime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.field.ContentLanguageFieldLenientImpl;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.MimeParameterMapping;

/** Interprets the Content-* header fields of one entity with mime4j's field parsers. Never throws. */
final class MimeFields {
    private MimeFields() {}

    /** A parsed Content-Type: media type and its decoded parameters. */
    record TypeAndParams(ContentType type, Map<String, String> params) {}

    private static final TypeAndParams DEFAULT_TEXT =
            new TypeAndParams(ContentType.TEXT_PLAIN, Map.of("charset", "us-ascii"));

    /**
     * Content-Type of an entity. Absent: {@code defaultType} (text/plain; charset=us-ascii per RFC 2045
     * §5.2, or message/rfc822 inside multipart/digest per RFC 2046 §5.1.5). Syntactically invalid:
     * text/plain; charset=us-ascii (RFC 2045 §5.2).
     */
    static TypeAndParams contentType(Optional<String> value, ContentType defaultType) {
        if (value.isEmpty() || value.get().isBlank()) {
            return defaultType.equals(ContentType.TEXT_PLAIN) ? DEFAULT_TEXT : new TypeAndParams(defaultType, Map.of());
        }
        Optional<RawBody> body = rawBody("Content-Type", value.get());
        if (body.isEmpty()) return DEFAULT_TEXT;
        String mime = body.get().getValue() == null ? "" : body.get().getValue().strip();
        int slash = mime.indexOf('/');
        if (slash < 0) return DEFAULT_TEXT;
        String type = mime.substring(0, slash).strip();
        String subtype = mime.substring(slash + 1).strip();
        // RFC 2045 §5.1: type "/" subtype, both tokens.
        if (!isToken(type) || !isToken(subtype)) return DEFAULT_TEXT;
        return new TypeAndParams(new ContentType(type, subtype), parameters(body.get().getParams()));
    }

    /** Content-Disposition (RFC 2183 §2); empty if absent or without a disposition type. */
    static Optional<Disposition> disposition(Optional<String> value) {
        if (value.isEmpty()) return Optional.empty();
        Optional<RawBody> body = rawBody("Content-Disposition", value.get());
        if (body.isEmpty()) return Optional.empty();
        String type = body.get().getValue() == null ? "" : body.get().getValue().strip();
        if (!isToken(type)) return Optional.empty();
        return Optional.of(new Disposition(type, parameters(body.get().getParams())));
    }

    /** Content-Transfer-Encoding mechanism, lower-cased; {@code 7bit} when absent (RFC 2045 §6.1). */
    static String transferEncoding(Optional<String> value) {
        if (value.isEmpty()) return "7bit";
        String v = rawBody("Content-Transfer-Encoding", value.get())
                .map(RawBody::getValue).orElse("").strip().toLowerCase(Locale.ROOT);
        return v.isEmpty() ? "7bit" : v;
    }

    /** Content-Language tags (RFC 3282 §2), comments removed. */
    static List<String> language(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) return List.of();
        try {
            List<String> tags = ContentLanguageFieldLenientImpl.PARSER
                    .parse(new RawField("Content-Language", value.get()), DecodeMonitor.SILENT).getLanguages();
            return tags == null ? List.of() : tags.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Parameters with lower-cased names, RFC 2231 continuations joined and charset/percent-encoding
     * decoded (RFC 2231 §3, §4), in order of first appearance.
     */
    static Map<String, String> parameters(List<NameValuePair> pairs) {
        if (pairs == null || pairs.isEmpty()) return Map.of();
        boolean rfc2231 = false;
        for (NameValuePair p : pairs) rfc2231 |= p.getName() != null && p.getName().indexOf('*') >= 0;
        if (!rfc2231) return plainParameters(pairs);
        Map<String, String> decoded;
        try {
            MimeParameterMapping mapping = new MimeParameterMapping();
            for (NameValuePair p : pairs) {
                if (p.getName() == null || p.getName().isBlank()) continue;
                mapping.addParameter(p.getName().strip(), p.getValue() == null ? "" : p.getValue());
            }
            decoded = mapping.getParameters();
        } catch (RuntimeException e) {
            decoded = plainParameters(pairs);
        }
        LinkedHashMap<String, String> ordered = new LinkedHashMap<>();
        for (NameValuePair p : pairs) {
            if (p.getName() == null) continue;
            String n = p.getName().strip().toLowerCase(Locale.ROOT);
            int star = n.indexOf('*');
            // RFC 2231 §3: name*N and name*N* are sections of one parameter "name".
            String base = star < 0 ? n : n.substring(0, star);
            String v = decoded.get(base);
            if (!base.isEmpty() && v != null) ordered.putIfAbsent(base, v);
        }
        decoded.forEach((k, v) -> {
            if (k != null && !k.isEmpty() && v != null) ordered.putIfAbsent(k, v);
        });
        return ordered;
    }

    /** Parameters without RFC 2231 sections: names lower-cased, first occurrence wins. */
    private static Map<String, String> plainParameters(List<NameValuePair> pairs) {
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        for (NameValuePair p : pairs) {
            if (p.getName() == null || p.getName().isBlank()) continue;
            map.putIfAbsent(p.getName().strip().toLowerCase(Locale.ROOT), p.getValue() == null ? "" : p.getValue());
        }
        return map;
    }

    private static Optional<RawBody> rawBody(String name, String value) {
        try {
            return Optional.ofNullable(RawFieldParser.DEFAULT.parseRawBody(new RawField(name, value)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** RFC 2045 §5.1 token: 1*(any CHAR except SPACE, CTLs and tspecials). */
    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) return false;
        }
        return true;
    }
}
