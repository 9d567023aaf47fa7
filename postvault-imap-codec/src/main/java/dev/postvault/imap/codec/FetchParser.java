package dev.postvault.imap.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Parser of FETCH and UID FETCH (RFC 9051 §6.4.5, RFC 3516, RFC 7162, RFC 8474, RFC 8514). */
final class FetchParser {

    private FetchParser() {
    }

    // RFC 9051 §9 fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
    //                     "(" fetch-att *(SP fetch-att) ")"); RFC 4466 §2.4 adds [fetch-modifiers]
    static ImapCommand fetch(CommandCursor c, boolean uid) {
        c.sp();
        SequenceSet set = SharedRules.sequenceSet(c);
        c.sp();
        List<FetchItem> items;
        if (c.tryConsume('(')) {
            items = new ArrayList<>();
            do {
                c.checkItems(items.size());
                items.add(fetchAtt(c));
            } while (c.tryConsume(' '));
            c.expect(')');
        } else if (c.tryKeyword("ALL")) {
            items = FetchItem.ALL;
        } else if (c.tryKeyword("FAST")) {
            items = FetchItem.FAST;
        } else if (c.tryKeyword("FULL")) {
            items = FetchItem.FULL;
        } else {
            items = List.of(fetchAtt(c));
        }
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        if (!c.atEnd()) {
            // RFC 4466 §2.4 fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"
            c.sp();
            c.expect('(');
            do {
                switch (c.keyword()) {
                    case "CHANGEDSINCE" -> { // RFC 7162 §7 chgsince-fetch-mod = "CHANGEDSINCE" SP mod-sequence-value
                        if (changedSince.isPresent()) {
                            throw ParseException.bad("CHANGEDSINCE given twice");
                        }
                        c.sp();
                        changedSince = OptionalLong.of(c.nzNumber64());
                    }
                    case "VANISHED" -> { // RFC 7162 §7 rexpunges-fetch-mod = "VANISHED"; UID FETCH only
                        if (!uid || vanished) {
                            throw ParseException.bad("VANISHED is allowed once, in UID FETCH only");
                        }
                        vanished = true;
                    }
                    default -> throw ParseException.bad("Unknown FETCH modifier");
                }
            } while (c.tryConsume(' '));
            c.expect(')');
            if (vanished && changedSince.isEmpty()) {
                throw ParseException.bad("VANISHED needs CHANGEDSINCE"); // RFC 7162 §3.2.6
            }
        }
        return new ImapCommand.Fetch(uid, set, items, changedSince, vanished);
    }

    // RFC 9051 §9 fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822.SIZE" / "BODY" ["STRUCTURE"] /
    //   "UID" / "BODY" section [partial] / "BODY.PEEK" section [partial] /
    //   "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary
    static FetchItem fetchAtt(CommandCursor c) {
        String name = c.word();
        return switch (name) {
            case "FLAGS" -> new FetchItem.Flags();
            case "UID" -> new FetchItem.Uid();
            case "INTERNALDATE" -> new FetchItem.InternalDate();
            case "RFC822.SIZE" -> new FetchItem.Rfc822Size();
            case "RFC822" -> new FetchItem.Rfc822(); // RFC 3501 §9 fetch-att "RFC822" [".HEADER" / ".TEXT"]
            case "RFC822.HEADER" -> new FetchItem.Rfc822Header();
            case "RFC822.TEXT" -> new FetchItem.Rfc822Text();
            case "ENVELOPE" -> new FetchItem.Envelope();
            case "BODYSTRUCTURE" -> new FetchItem.BodyStructure();
            case "MODSEQ" -> new FetchItem.ModSeq(); // RFC 7162 §7 fetch-mod-sequence
            case "EMAILID" -> new FetchItem.EmailId(); // RFC 8474 §7
            case "THREADID" -> new FetchItem.ThreadId(); // RFC 8474 §7
            case "SAVEDATE" -> new FetchItem.SaveDate(); // RFC 8514 §5
            case "BODY" -> c.peek() == '[' ? bodySection(c, false) : new FetchItem.Body();
            case "BODY.PEEK" -> bodySection(c, true);
            case "BINARY" -> new FetchItem.Binary(sectionBinary(c), partial(c), false);
            case "BINARY.PEEK" -> new FetchItem.Binary(sectionBinary(c), partial(c), true);
            case "BINARY.SIZE" -> new FetchItem.BinarySize(sectionBinary(c));
            default -> throw ParseException.bad("Unknown FETCH data item");
        };
    }

    // RFC 9051 §9 section = "[" [section-spec] "]"
    private static FetchItem bodySection(CommandCursor c, boolean peek) {
        c.expect('[');
        Section section = sectionSpec(c);
        c.expect(']');
        return new FetchItem.BodySection(section, partial(c), peek);
    }

    // RFC 9051 §9 section-spec = section-msgtext / (section-part ["." section-text])
    private static Section sectionSpec(CommandCursor c) {
        if (c.peek() == ']') {
            return Section.entire();
        }
        List<Integer> part = new ArrayList<>();
        while (ImapSyntax.isDigit(c.peek())) {
            c.checkItems(part.size());
            part.add(partNumber(c));
            if (!c.tryConsume('.')) {
                return new Section(part, new Section.Specifier.Entire());
            }
        }
        // RFC 9051 §9 section-text = section-msgtext / "MIME";
        // section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
        Section.Specifier specifier = switch (c.word()) {
            case "HEADER" -> new Section.Specifier.Header();
            case "TEXT" -> new Section.Specifier.Text();
            case "MIME" -> {
                if (part.isEmpty()) {
                    throw ParseException.bad("MIME needs a part number");
                }
                yield new Section.Specifier.Mime();
            }
            case "HEADER.FIELDS" -> new Section.Specifier.HeaderFields(headerList(c), false);
            case "HEADER.FIELDS.NOT" -> new Section.Specifier.HeaderFields(headerList(c), true);
            default -> throw ParseException.bad("Invalid section");
        };
        return new Section(part, specifier);
    }

    // RFC 9051 §9 header-list = "(" header-fld-name *(SP header-fld-name) ")"; header-fld-name = astring
    private static List<String> headerList(CommandCursor c) {
        c.sp();
        c.expect('(');
        List<String> names = new ArrayList<>();
        do {
            c.checkItems(names.size());
            names.add(SharedRules.utf8Text(c.astring()));
        } while (c.tryConsume(' '));
        c.expect(')');
        return names;
    }

    // RFC 9051 §9 section-binary = "[" [section-part] "]"; section-part = nz-number *("." nz-number)
    private static List<Integer> sectionBinary(CommandCursor c) {
        c.expect('[');
        List<Integer> part = new ArrayList<>();
        if (!c.tryConsume(']')) {
            do {
                c.checkItems(part.size());
                part.add(partNumber(c));
            } while (c.tryConsume('.'));
            c.expect(']');
        }
        return part;
    }

    private static int partNumber(CommandCursor c) {
        long number = c.nzNumber();
        if (number > Integer.MAX_VALUE) {
            throw ParseException.bad("Part number out of range");
        }
        return (int) number;
    }

    // RFC 9051 §9 partial = "<" number64 "." nz-number64 ">"
    private static Optional<FetchItem.Partial> partial(CommandCursor c) {
        if (!c.tryConsume('<')) {
            return Optional.empty();
        }
        long offset = c.number64();
        c.expect('.');
        long length = c.nzNumber64();
        c.expect('>');
        return Optional.of(new FetchItem.Partial(offset, length));
    }
}
