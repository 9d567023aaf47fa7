package dev.postvault.store.mailbox;

import dev.postvault.mime.Headers;
import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageText;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The decoded text a message is searched by (RFC 9051 §6.4.4), case-folded: {@code header}, every
 * header field of the message and of its parts, decoded, signature values left out
 * ({@link Headers#searchText}), which SEARCH TEXT adds to the body; and {@code body}, the decoded text
 * of its text parts and attached messages ({@link MessageText#body}), what SEARCH BODY reads.
 *
 * <p>Both are kept as UTF-8 of the text lowered with {@code toLowerCase(Locale.ROOT)}, the folding
 * SEARCH compares with. A substring of the folded text is then a substring of these bytes, since
 * UTF-8 never starts a character inside another, so a check decodes nothing. Derived from the message
 * alone: the copy the indexer keeps in the encrypted file ({@code texts}, Schema v8) and one derived
 * again for a message not indexed yet are the same bytes.
 */
public final class SearchTexts {
    /** The most body text searched per message; a longer text is searched up to here. */
    public static final int MAX_BODY_CHARS = 4_000_000;

    private final byte[] header;
    private final byte[] body;
    /** Set when {@code header} and {@code body} are packed columns as stored, read through it. */
    private final Packing.Unpacker packed;

    SearchTexts(byte[] header, byte[] body) {
        this(header, body, null);
    }

    /** The stored columns, searched as they are inflated, stopping at the first match. */
    SearchTexts(byte[] header, byte[] body, Packing.Unpacker packed) {
        this.header = header;
        this.body = body;
        this.packed = packed;
    }

    public static SearchTexts of(byte[] raw, MessageStructure structure) {
        return of(Headers.searchText(raw, structure), MessageText.body(raw, structure, MAX_BODY_CHARS));
    }

    /** From the header text and body text as {@link #of(byte[], MessageStructure)} extracts them. */
    static SearchTexts of(String header, String body) {
        return new SearchTexts(fold(header), fold(body));
    }

    /** A search string as these texts hold it: lowered as SEARCH compares, in UTF-8. */
    public static byte[] fold(String text) {
        return text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the header text holds {@code folded} (from {@link #fold}). */
    public boolean headerContains(byte[] folded) {
        return contains(header, folded);
    }

    /** Whether the body text holds {@code folded} (from {@link #fold}). */
    public boolean bodyContains(byte[] folded) {
        return contains(body, folded);
    }

    private boolean contains(byte[] text, byte[] folded) {
        return packed == null ? indexOf(text, 0, text.length, folded) >= 0 : packed.contains(text, folded);
    }

    byte[] header() {
        return packed == null ? header : packed.unpack(header);
    }

    byte[] body() {
        return packed == null ? body : packed.unpack(body);
    }

    /** The first index in {@code haystack[from, to)} where {@code needle} begins, else -1. */
    static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
        if (needle.length == 0) return from;
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack[i] != first) continue;
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
