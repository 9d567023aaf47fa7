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
        // One pass that lowers and encodes: the indexer folds every message's text, and lowering to a
        // new String, then encoding it, was an eighth of the server's CPU under imaptest. It follows
        // String.toLowerCase(Locale.ROOT) exactly: each code point maps to its lowercase, except
        // dotted capital I, which becomes "i" and a combining dot (its special casing), and capital
        // sigma, which depends on its neighbours and is left to toLowerCase with the whole text. An
        // unpaired surrogate encodes as '?', as getBytes does.
        int n = text.length();
        byte[] out = new byte[n + (n >> 3) + 16];
        int k = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (k + 6 > out.length) out = java.util.Arrays.copyOf(out, grown(out.length, 3 * (n - i) + 6));
            if (c < 0x80) {
                out[k++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
                continue;
            }
            int l;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                l = Character.toLowerCase(Character.toCodePoint(c, text.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                out[k++] = '?';
                continue;
            } else if (c == '\u0130') {
                out[k++] = 'i';
                out[k++] = (byte) 0xCC; // U+0307 COMBINING DOT ABOVE
                out[k++] = (byte) 0x87;
                continue;
            } else if (c == '\u03A3') {
                return text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            } else {
                l = Character.toLowerCase((int) c);
            }
            k = putUtf8(out, k, l);
        }
        return k == out.length ? out : java.util.Arrays.copyOf(out, k);
    }

    /** Writes code point {@code cp} as UTF-8 at {@code k} (room for four octets assumed); the new end. */
    private static int putUtf8(byte[] out, int k, int cp) {
        if (cp < 0x80) {
            out[k++] = (byte) cp;
        } else if (cp < 0x800) {
            out[k++] = (byte) (0xC0 | cp >> 6);
            out[k++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out[k++] = (byte) (0xE0 | cp >> 12);
            out[k++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[k++] = (byte) (0x80 | cp & 0x3F);
        } else {
            out[k++] = (byte) (0xF0 | cp >> 18);
            out[k++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[k++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[k++] = (byte) (0x80 | cp & 0x3F);
        }
        return k;
    }

    /** A buffer half as large again, enough for at least {@code more} octets beyond {@code length}. */
    private static int grown(int length, int more) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) length + (length >> 1), (long) length + more));
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
