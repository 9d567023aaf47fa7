package dev.postvault.imap.codec;

import java.util.List;
import java.util.Objects;

/**
 * A body section of FETCH BODY[...] (RFC 9051 §9 section-spec): a part path and what of that part.
 * {@code BODY[]} is an empty path with {@link Specifier.Entire}.
 *
 * @param part      section-part, e.g. [1, 2, 3] for "1.2.3"; empty for the whole message
 * @param specifier the section-text or section-msgtext after the path
 */
public record Section(List<Integer> part, Specifier specifier) {

    /** RFC 9051 §9 section-text and section-msgtext. */
    public sealed interface Specifier {
        /** No specifier: the whole message or the whole part (content only, for a part). */
        record Entire() implements Specifier {
        }

        /** HEADER: the RFC 5322 header of the message or of an encapsulated message part. */
        record Header() implements Specifier {
        }

        /** HEADER.FIELDS (names) or, with {@code not}, HEADER.FIELDS.NOT (names); names as sent. */
        record HeaderFields(List<String> fieldNames, boolean not) implements Specifier {
            public HeaderFields {
                fieldNames = List.copyOf(fieldNames);
                if (fieldNames.isEmpty()) {
                    throw new IllegalArgumentException("header-list has at least one name");
                }
            }
        }

        /** TEXT: the body without the header. */
        record Text() implements Specifier {
        }

        /** MIME: the MIME header of a part; only after a part path. */
        record Mime() implements Specifier {
        }
    }

    public Section {
        part = List.copyOf(part);
        Objects.requireNonNull(specifier);
        for (int number : part) {
            if (number < 1) {
                throw new IllegalArgumentException("part numbers are positive");
            }
        }
        if (specifier instanceof Specifier.Mime && part.isEmpty()) {
            throw new IllegalArgumentException("MIME needs a part number");
        }
    }

    /** {@code BODY[]}. */
    public static Section entire() {
        return new Section(List.of(), new Specifier.Entire());
    }

    /** The text between the brackets as it goes on the wire, e.g. {@code 1.2.HEADER.FIELDS (DATE FROM)}. */
    public String wireForm() {
        StringBuilder text = new StringBuilder();
        for (int number : part) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            text.append(number);
        }
        String suffix = switch (specifier) {
            case Specifier.Entire _ -> "";
            case Specifier.Header _ -> "HEADER";
            case Specifier.HeaderFields f -> (f.not() ? "HEADER.FIELDS.NOT (" : "HEADER.FIELDS (")
                    + String.join(" ", f.fieldNames().stream().map(ImapSyntax::astringWireForm).toList()) + ")";
            case Specifier.Text _ -> "TEXT";
            case Specifier.Mime _ -> "MIME";
        };
        if (!suffix.isEmpty() && !text.isEmpty()) {
            text.append('.');
        }
        return text.append(suffix).toString();
    }
}
