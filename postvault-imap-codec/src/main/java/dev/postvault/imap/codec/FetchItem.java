package dev.postvault.imap.codec;

import java.util.List;
import java.util.Optional;

/**
 * One FETCH data item (RFC 9051 §9 fetch-att, RFC 3516, RFC 7162, RFC 8474, RFC 8514). The macros
 * ALL, FAST and FULL never appear: the parser expands them ({@link #ALL}, {@link #FAST},
 * {@link #FULL}).
 */
public sealed interface FetchItem {

    /** RFC 9051 §6.4.5: ALL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE). */
    List<FetchItem> ALL = List.of(new Flags(), new InternalDate(), new Rfc822Size(), new Envelope());
    /** RFC 9051 §6.4.5: FAST = (FLAGS INTERNALDATE RFC822.SIZE). */
    List<FetchItem> FAST = List.of(new Flags(), new InternalDate(), new Rfc822Size());
    /** RFC 9051 §6.4.5: FULL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY). */
    List<FetchItem> FULL = List.of(new Flags(), new InternalDate(), new Rfc822Size(), new Envelope(), new Body());

    /**
     * The name of this item in the FETCH response: {@code BODY.PEEK[...]} answers as
     * {@code BODY[...]}, a partial answers with its origin only ({@code BODY[]<0>}).
     */
    String responseName();

    record Flags() implements FetchItem {
        public String responseName() {
            return "FLAGS";
        }
    }

    record Uid() implements FetchItem {
        public String responseName() {
            return "UID";
        }
    }

    record InternalDate() implements FetchItem {
        public String responseName() {
            return "INTERNALDATE";
        }
    }

    record Rfc822Size() implements FetchItem {
        public String responseName() {
            return "RFC822.SIZE";
        }
    }

    /** RFC822: like BODY[], sets \Seen (RFC 3501; kept by RFC 9051 for compatibility). */
    record Rfc822() implements FetchItem {
        public String responseName() {
            return "RFC822";
        }
    }

    /** RFC822.HEADER: like BODY.PEEK[HEADER]. */
    record Rfc822Header() implements FetchItem {
        public String responseName() {
            return "RFC822.HEADER";
        }
    }

    /** RFC822.TEXT: like BODY[TEXT]. */
    record Rfc822Text() implements FetchItem {
        public String responseName() {
            return "RFC822.TEXT";
        }
    }

    record Envelope() implements FetchItem {
        public String responseName() {
            return "ENVELOPE";
        }
    }

    /** BODY without a section: the non-extensible BODYSTRUCTURE. */
    record Body() implements FetchItem {
        public String responseName() {
            return "BODY";
        }
    }

    record BodyStructure() implements FetchItem {
        public String responseName() {
            return "BODYSTRUCTURE";
        }
    }

    /** MODSEQ (RFC 7162 §3.1.4.1). */
    record ModSeq() implements FetchItem {
        public String responseName() {
            return "MODSEQ";
        }
    }

    /** EMAILID (RFC 8474 §5.1). */
    record EmailId() implements FetchItem {
        public String responseName() {
            return "EMAILID";
        }
    }

    /** THREADID (RFC 8474 §5.2). */
    record ThreadId() implements FetchItem {
        public String responseName() {
            return "THREADID";
        }
    }

    /** SAVEDATE (RFC 8514 §4). */
    record SaveDate() implements FetchItem {
        public String responseName() {
            return "SAVEDATE";
        }
    }

    /** BODY[section]&lt;partial&gt; or, with {@code peek}, BODY.PEEK[...] (does not set \Seen). */
    record BodySection(Section section, Optional<Partial> partial, boolean peek) implements FetchItem {
        public String responseName() {
            return "BODY[" + section.wireForm() + "]" + partial.map(Partial::originWireForm).orElse("");
        }
    }

    /** BINARY[part]&lt;partial&gt; or BINARY.PEEK[...] (RFC 3516 §4.1, RFC 9051 §6.4.5). */
    record Binary(List<Integer> part, Optional<Partial> partial, boolean peek) implements FetchItem {
        public Binary {
            part = List.copyOf(part);
        }

        public String responseName() {
            return "BINARY[" + partWireForm(part) + "]" + partial.map(Partial::originWireForm).orElse("");
        }
    }

    /** BINARY.SIZE[part] (RFC 3516 §4.2). */
    record BinarySize(List<Integer> part) implements FetchItem {
        public BinarySize {
            part = List.copyOf(part);
        }

        public String responseName() {
            return "BINARY.SIZE[" + partWireForm(part) + "]";
        }
    }

    /**
     * RFC 9051 §9 partial = "&lt;" number64 "." nz-number64 "&gt;": the octets
     * {@code offsetBytes .. offsetBytes + lengthBytes - 1}.
     */
    record Partial(long offsetBytes, long lengthBytes) {
        public Partial {
            if (offsetBytes < 0 || lengthBytes < 1) {
                throw new IllegalArgumentException("partial offset >= 0 and length >= 1");
            }
        }

        String originWireForm() {
            return "<" + offsetBytes + ">";
        }
    }

    private static String partWireForm(List<Integer> part) {
        StringBuilder text = new StringBuilder();
        for (int number : part) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            text.append(number);
        }
        return text.toString();
    }
}
