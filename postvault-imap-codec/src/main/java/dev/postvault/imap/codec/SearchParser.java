package dev.postvault.imap.codec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parsers of SEARCH, SORT and THREAD and of the search-key grammar (RFC 9051 §6.4.4; RFC 4731,
 * RFC 5032, RFC 5182, RFC 5256, RFC 5267, RFC 5957, RFC 7162, RFC 8474, RFC 8514).
 */
final class SearchParser {

    /** Charsets whose strings the codec decodes; RFC 9051 §6.4.4 requires US-ASCII and UTF-8. */
    static final List<String> SUPPORTED_CHARSETS = List.of("US-ASCII", "UTF-8");

    private SearchParser() {
    }

    // RFC 9051 §9 search = "SEARCH" [search-return-opts] SP search-program;
    // search-program = ["CHARSET" SP charset SP] search-key *(SP search-key)
    static ImapCommand search(CommandCursor c, boolean uid) {
        c.sp();
        Optional<Set<SearchReturnOption>> returnOptions = returnOptions(c);
        Optional<String> charset = Optional.empty();
        if (c.tryKeyword("CHARSET")) {
            c.sp();
            charset = Optional.of(charset(c));
            c.sp();
        }
        return new ImapCommand.Search(uid, charset, returnOptions, keys(c));
    }

    // RFC 5256 §5 sort = ["UID" SP] "SORT" SP sort-criteria SP search-criteria; RFC 5267 §3.2 adds
    // [search-return-opts]; search-criteria = charset 1*(SP search-key)
    static ImapCommand sort(CommandCursor c, boolean uid) {
        c.sp();
        Optional<Set<SearchReturnOption>> returnOptions = returnOptions(c);
        // RFC 5256 §5 sort-criteria = "(" sort-criterion *(SP sort-criterion) ")"
        c.expect('(');
        List<SortCriterion> criteria = new ArrayList<>();
        do {
            c.checkItems(criteria.size());
            boolean reverse = c.tryKeyword("REVERSE"); // sort-criterion = ["REVERSE" SP] sort-key
            if (reverse) {
                c.sp();
            }
            criteria.add(new SortCriterion(sortKey(c.keyword()), reverse));
        } while (c.tryConsume(' '));
        c.expect(')');
        c.sp();
        String charset = charset(c);
        c.sp();
        return new ImapCommand.Sort(uid, criteria, charset, returnOptions, keys(c));
    }

    // RFC 5256 §5 thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria; thread-alg = atom
    static ImapCommand thread(CommandCursor c, boolean uid) {
        c.sp();
        String algorithm = c.keyword();
        c.sp();
        String charset = charset(c);
        c.sp();
        return new ImapCommand.ThreadMessages(uid, algorithm, charset, keys(c));
    }

    // RFC 5256 §5 sort-key = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO";
    // RFC 5957 §4 sort-key =/ "DISPLAYFROM" / "DISPLAYTO"
    private static SortCriterion.Key sortKey(String name) {
        for (SortCriterion.Key key : SortCriterion.Key.values()) {
            if (key.name().equals(name)) {
                return key;
            }
        }
        throw ParseException.bad("Unknown sort key");
    }

    // RFC 4731 §3.1 search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
    private static Optional<Set<SearchReturnOption>> returnOptions(CommandCursor c) {
        if (!c.tryKeyword("RETURN")) {
            return Optional.empty();
        }
        c.sp();
        c.expect('(');
        Set<SearchReturnOption> options = EnumSet.noneOf(SearchReturnOption.class);
        if (!c.tryConsume(')')) {
            do {
                c.checkItems(options.size());
                // RFC 9051 §9 search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE"
                options.add(switch (c.keyword()) {
                    case "MIN" -> SearchReturnOption.MIN;
                    case "MAX" -> SearchReturnOption.MAX;
                    case "ALL" -> SearchReturnOption.ALL;
                    case "COUNT" -> SearchReturnOption.COUNT;
                    case "SAVE" -> SearchReturnOption.SAVE;
                    default -> throw ParseException.bad("Unknown RETURN option");
                });
            } while (c.tryConsume(' '));
            c.expect(')');
        }
        if (options.isEmpty()) {
            options.add(SearchReturnOption.ALL); // RFC 4731 §3.1: RETURN () means RETURN (ALL)
        }
        c.sp();
        return Optional.of(options);
    }

    // RFC 9051 §9 charset = atom / quoted
    private static String charset(CommandCursor c) {
        String name = c.peek() == '"' ? CommandCursor.ascii(c.quoted()) : c.atom();
        for (String supported : SUPPORTED_CHARSETS) {
            if (supported.equalsIgnoreCase(name)) {
                return supported;
            }
        }
        throw ParseException.no(new ResponseCode.BadCharset(SUPPORTED_CHARSETS), "Unsupported charset");
    }

    /** search-key *(SP search-key), as one key or an {@link SearchKey.And}. */
    private static SearchKey keys(CommandCursor c) {
        List<SearchKey> keys = new ArrayList<>();
        do {
            c.checkItems(keys.size());
            keys.add(key(c));
        } while (c.tryConsume(' '));
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    }

    // RFC 9051 §9 search-key (see the grammar there; extensions noted per key)
    private static SearchKey key(CommandCursor c) {
        int b = c.peek();
        if (b == '(') { // "(" search-key *(SP search-key) ")"
            c.expect('(');
            c.enter();
            SearchKey inner = keys(c);
            c.expect(')');
            c.leave();
            return inner;
        }
        if (ImapSyntax.isDigit(b) || b == '*' || b == '$') { // sequence-set
            return new SearchKey.SequenceNumbers(SharedRules.sequenceSet(c));
        }
        String name = c.keyword();
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag("\\Answered", true);
            case "DELETED" -> new SearchKey.Flag("\\Deleted", true);
            case "DRAFT" -> new SearchKey.Flag("\\Draft", true);
            case "FLAGGED" -> new SearchKey.Flag("\\Flagged", true);
            case "SEEN" -> new SearchKey.Flag("\\Seen", true);
            case "UNANSWERED" -> new SearchKey.Flag("\\Answered", false);
            case "UNDELETED" -> new SearchKey.Flag("\\Deleted", false);
            case "UNDRAFT" -> new SearchKey.Flag("\\Draft", false);
            case "UNFLAGGED" -> new SearchKey.Flag("\\Flagged", false);
            case "UNSEEN" -> new SearchKey.Flag("\\Seen", false);
            case "KEYWORD" -> new SearchKey.Flag(argument(c).atom(), true); // "KEYWORD" SP flag-keyword
            case "UNKEYWORD" -> new SearchKey.Flag(argument(c).atom(), false);
            case "RECENT" -> new SearchKey.Recent(); // RFC 3501 §6.4.4
            case "NEW" -> new SearchKey.New();
            case "OLD" -> new SearchKey.Old();
            case "BCC" -> new SearchKey.Header("Bcc", text(argument(c)));
            case "CC" -> new SearchKey.Header("Cc", text(argument(c)));
            case "FROM" -> new SearchKey.Header("From", text(argument(c)));
            case "SUBJECT" -> new SearchKey.Header("Subject", text(argument(c)));
            case "TO" -> new SearchKey.Header("To", text(argument(c)));
            case "HEADER" -> { // "HEADER" SP header-fld-name SP astring
                String field = text(argument(c));
                yield new SearchKey.Header(field, text(argument(c)));
            }
            case "BODY" -> new SearchKey.Body(text(argument(c)));
            case "TEXT" -> new SearchKey.Text(text(argument(c)));
            case "X-REGEX" -> regex(text(argument(c)));
            case "BEFORE" -> date(c, SearchKey.DateField.INTERNAL, SearchKey.Comparison.BEFORE);
            case "ON" -> date(c, SearchKey.DateField.INTERNAL, SearchKey.Comparison.ON);
            case "SINCE" -> date(c, SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE);
            case "SENTBEFORE" -> date(c, SearchKey.DateField.SENT, SearchKey.Comparison.BEFORE);
            case "SENTON" -> date(c, SearchKey.DateField.SENT, SearchKey.Comparison.ON);
            case "SENTSINCE" -> date(c, SearchKey.DateField.SENT, SearchKey.Comparison.SINCE);
            case "SAVEDBEFORE" -> date(c, SearchKey.DateField.SAVED, SearchKey.Comparison.BEFORE); // RFC 8514 §5
            case "SAVEDON" -> date(c, SearchKey.DateField.SAVED, SearchKey.Comparison.ON);
            case "SAVEDSINCE" -> date(c, SearchKey.DateField.SAVED, SearchKey.Comparison.SINCE);
            case "SAVEDATESUPPORTED" -> new SearchKey.SaveDateSupported();
            case "LARGER" -> new SearchKey.Larger(argument(c).number64()); // "LARGER" SP number64
            case "SMALLER" -> new SearchKey.Smaller(argument(c).number64());
            case "NOT" -> { // "NOT" SP search-key
                c.sp();
                c.enter();
                SearchKey negated = key(c);
                c.leave();
                yield new SearchKey.Not(negated);
            }
            case "OR" -> { // "OR" SP search-key SP search-key
                c.sp();
                c.enter();
                SearchKey left = key(c);
                c.sp();
                SearchKey right = key(c);
                c.leave();
                yield new SearchKey.Or(left, right);
            }
            case "UID" -> new SearchKey.Uids(SharedRules.sequenceSet(argument(c))); // "UID" SP sequence-set
            case "MODSEQ" -> modSeq(c);
            case "OLDER" -> new SearchKey.Older(argument(c).nzNumber()); // RFC 5032 §4 "OLDER" SP nz-number
            case "YOUNGER" -> new SearchKey.Younger(argument(c).nzNumber());
            case "EMAILID" -> new SearchKey.EmailId(objectId(argument(c))); // RFC 8474 §7
            case "THREADID" -> new SearchKey.ThreadId(objectId(argument(c)));
            default -> throw ParseException.bad("Unknown search key");
        };
    }

    private static CommandCursor argument(CommandCursor c) {
        c.sp();
        return c;
    }

    private static SearchKey regex(String pattern) {
        if (pattern.length() > SearchKey.Regex.MAX_PATTERN_CHARS) {
            throw ParseException.bad("Regular expression longer than " + SearchKey.Regex.MAX_PATTERN_CHARS + " characters");
        }
        try {
            return new SearchKey.Regex(java.util.regex.Pattern.compile(pattern));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw ParseException.bad("Invalid regular expression: " + e.getDescription());
        }
    }

    private static String text(CommandCursor c) {
        return SharedRules.utf8Text(c.astring());
    }

    private static SearchKey date(CommandCursor c, SearchKey.DateField field, SearchKey.Comparison comparison) {
        c.sp();
        return new SearchKey.Date(field, comparison, SharedRules.date(c));
    }

    // RFC 7162 §7 search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer;
    // search-modseq-ext = SP entry-name SP entry-type-req; entry-flag-name = DQUOTE "/flags/" attr-flag DQUOTE
    private static SearchKey modSeq(CommandCursor c) {
        c.sp();
        Optional<SearchKey.ModSeqEntry> entry = Optional.empty();
        if (c.peek() == '"') {
            String name = CommandCursor.ascii(c.quoted());
            if (name.length() <= 7 || !name.regionMatches(true, 0, "/flags/", 0, 7)) {
                throw ParseException.bad("MODSEQ entry name must be \"/flags/<flag>\"");
            }
            c.sp();
            SearchKey.EntryType type = switch (c.keyword()) { // entry-type-req = "priv" / "shared" / "all"
                case "PRIV" -> SearchKey.EntryType.PRIV;
                case "SHARED" -> SearchKey.EntryType.SHARED;
                case "ALL" -> SearchKey.EntryType.ALL;
                default -> throw ParseException.bad("MODSEQ entry type must be priv, shared or all");
            };
            c.sp();
            entry = Optional.of(new SearchKey.ModSeqEntry(name.substring(7), type));
        }
        return new SearchKey.ModSeq(c.number64(), entry);
    }

    // RFC 8474 §7 objectid = 1*255(ALPHA / DIGIT / "_" / "-")
    private static String objectId(CommandCursor c) {
        String id = c.atom();
        if (id.length() > 255 || !id.chars().allMatch(ch -> ch < 0x80 && (Character.isLetterOrDigit(ch) || ch == '_' || ch == '-'))) {
            throw ParseException.bad("Invalid object id");
        }
        return id;
    }
}
