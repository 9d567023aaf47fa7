package dev.postvault.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header field values of a part, unfolded and with RFC 2047 encoded words decoded, for searching. */
public final class Headers {
    /**
     * Fields whose tag lists carry signatures, body hashes or key material: base64 that nobody reads
     * or searches for, costly in a trigram index (every trigram of it is new) and a source of chance
     * hits for short SEARCH TEXT strings. Keys are lower-case field names; values the tags (case
     * sensitive, RFC 6376 §3.2) whose values {@link #searchText} leaves out.
     */
    private static final Map<String, Set<String>> OPAQUE_TAGS = Map.of(
            "dkim-signature", Set.of("b", "bh"),            // RFC 6376 §3.5
            "x-google-dkim-signature", Set.of("b", "bh"),   // the same tag list under Google's name
            "arc-message-signature", Set.of("b", "bh"),     // RFC 8617 §4.1.2
            "arc-seal", Set.of("b"),                        // RFC 8617 §4.1.3
            "autocrypt", Set.of("keydata"),                 // Autocrypt Level 1 §2.1
            "autocrypt-gossip", Set.of("keydata"));         // Autocrypt Level 1 §2.7

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

    /** Every value of the field {@code name} (case-insensitive) in a header block that is all of {@code header}. */
    public static List<String> decoded(byte[] header, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (HeaderBlock.Field f : HeaderBlock.scan(header, 0, header.length).fields()) {
            if (f.name().equals(lower)) out.add(Envelope.decodeWords(f.value()));
        }
        return out;
    }

    /**
     * One part's header as "name: value" lines, decoded. The values of signature and key tags (see
     * {@link #hasOpaqueValues}) are left out, as RFC 9051 §6.4.4 lets TEXT match flexibly; HEADER,
     * which must match substrings exactly, reads those fields through {@link #decoded} instead.
     */
    private static String partSearchText(byte[] raw, MimePart part) {
        StringBuilder sb = new StringBuilder();
        for (HeaderBlock.Field f : scan(raw, part).fields()) {
            Set<String> opaque = OPAQUE_TAGS.get(f.name());
            String value = Envelope.decodeWords(f.value());
            sb.append(f.name()).append(": ").append(opaque == null ? value : withoutTagValues(value, opaque)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Every header of a message as SEARCH TEXT reads it: the top-level header, then the header of each
     * body part (RFC 9051 §6.4.4: "including MIME header fields"), attached messages included, each
     * decoded, without signature values. A part with a file name adds it with RFC 2231 and RFC 2047
     * encoding undone, so "résumé.pdf" is found however the sender's client wrote it.
     */
    public static String searchText(byte[] raw, MessageStructure message) {
        StringBuilder sb = new StringBuilder();
        partHeaders(raw, message.root(), sb);
        return sb.toString();
    }

    private static void partHeaders(byte[] raw, MimePart part, StringBuilder sb) {
        sb.append(partSearchText(raw, part));
        part.filename().ifPresent(name -> sb.append("filename: ").append(Envelope.decodeWords(name)).append('\n'));
        if (part.encapsulated().isPresent()) {
            partHeaders(raw, part.encapsulated().get().root(), sb);
        } else {
            for (MimePart child : part.children()) partHeaders(raw, child, sb);
        }
    }

    /** Whether {@link #searchText} leaves part of this field's value out (name case-insensitive). */
    public static boolean hasOpaqueValues(String fieldName) {
        return OPAQUE_TAGS.containsKey(fieldName.toLowerCase(Locale.ROOT));
    }

    /**
     * A tag list ("tag=value; tag=value", RFC 6376 §3.2) with the values of {@code tags} emptied and
     * everything else kept as written, so "d=example.com" stays searchable.
     */
    static String withoutTagValues(String tagList, Set<String> tags) {
        StringBuilder out = new StringBuilder(tagList.length());
        int start = 0;
        while (start <= tagList.length()) {
            int semi = tagList.indexOf(';', start);
            int end = semi < 0 ? tagList.length() : semi;
            int eq = tagList.indexOf('=', start);
            if (eq >= 0 && eq < end && tags.contains(tagList.substring(start, eq).strip())) {
                out.append(tagList, start, eq + 1);
            } else {
                out.append(tagList, start, end);
            }
            if (semi < 0) break;
            out.append(';');
            start = semi + 1;
        }
        return out.toString();
    }

    private static HeaderBlock scan(byte[] raw, MimePart part) {
        return HeaderBlock.scan(raw, Math.min(part.headerStart(), raw.length), Math.min(part.headerEnd(), raw.length));
    }
}
