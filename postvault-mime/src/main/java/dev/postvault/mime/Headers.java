package dev.postvault.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Header field values of a part, unfolded and with RFC 2047 encoded words decoded, for searching. */
public final class Headers {
    private Headers() {}

    /** Every value of the field {@code name} (case-insensitive) in the part's header, in order. */
    public static List<String> decoded(byte[] raw, MimePart part, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (HeaderBlock.Field f : scan(raw, part).fields()) {
            if (f.name().equals(lower)) out.add(Envelope.decodeWords(f.value()));
        }
        return out;
    }

    /** The whole header as "name: value" lines, decoded; what IMAP SEARCH TEXT adds to the body. */
    public static String decodedText(byte[] raw, MimePart part) {
        StringBuilder sb = new StringBuilder();
        for (HeaderBlock.Field f : scan(raw, part).fields()) {
            sb.append(f.name()).append(": ").append(Envelope.decodeWords(f.value())).append('\n');
        }
        return sb.toString();
    }

    private static HeaderBlock scan(byte[] raw, MimePart part) {
        return HeaderBlock.scan(raw, Math.min(part.headerStart(), raw.length), Math.min(part.headerEnd(), raw.length));
    }
}
