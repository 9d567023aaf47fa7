package dev.postvault.imap.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Grammar rules shared by several command families: sequence sets, flags, mailbox names, dates. */
final class SharedRules {

    private static final Map<String, String> SYSTEM_FLAGS = Map.of(
            "\\answered", "\\Answered", "\\flagged", "\\Flagged", "\\deleted", "\\Deleted",
            "\\seen", "\\Seen", "\\draft", "\\Draft", "\\recent", "\\Recent");

    private SharedRules() {
    }

    // RFC 9051 §9 sequence-set = (seq-number / seq-range) ["," sequence-set]; sequence-set =/ "$" (RFC 5182)
    static SequenceSet sequenceSet(CommandCursor c) {
        if (c.tryConsume('$')) {
            return SequenceSet.saved();
        }
        List<SequenceSet.Range> ranges = new ArrayList<>();
        do {
            if (ranges.size() >= c.limits().maxSequenceSetRanges()) {
                throw ParseException.bad("Too many ranges in a sequence set (limit "
                        + c.limits().maxSequenceSetRanges() + ")");
            }
            long first = seqNumber(c);
            long last = c.tryConsume(':') ? seqNumber(c) : first; // RFC 9051 §9 seq-range
            ranges.add(new SequenceSet.Range(first, last));
        } while (c.tryConsume(','));
        return SequenceSet.of(ranges);
    }

    // RFC 9051 §9 seq-number = nz-number / "*"
    private static long seqNumber(CommandCursor c) {
        if (c.tryConsume('*')) {
            return SequenceSet.STAR;
        }
        if (!ImapSyntax.isDigit(c.peek())) {
            throw ParseException.bad(c.atEnd() ? "Missing argument" : "Expected a sequence set");
        }
        return c.nzNumber();
    }

    // RFC 9051 §9 flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword /
    // flag-extension; flag-extension = "\" atom; flag-keyword = atom
    static String flag(CommandCursor c) {
        if (c.tryConsume('\\')) {
            String name = "\\" + c.atom();
            return SYSTEM_FLAGS.getOrDefault(name.toLowerCase(Locale.ROOT), name);
        }
        return c.atom();
    }

    // RFC 9051 §9 flag-list = "(" [flag *(SP flag)] ")"
    static List<String> flagList(CommandCursor c) {
        c.expect('(');
        List<String> flags = new ArrayList<>();
        if (!c.tryConsume(')')) {
            do {
                c.checkItems(flags.size());
                flags.add(flag(c));
            } while (c.tryConsume(' '));
            c.expect(')');
        }
        return flags;
    }

    // RFC 9051 §9 mailbox = "INBOX" / astring
    static String mailbox(CommandCursor c) {
        return decodeMailbox(c, c.astring());
    }

    /**
     * A mailbox name or pattern from the wire: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once
     * UTF8=ACCEPT is enabled (RFC 6855 §3); INBOX in any case becomes "INBOX" (RFC 9051 §5.1).
     */
    static String decodeMailbox(CommandCursor c, byte[] raw) {
        String name;
        if (c.utf8()) {
            name = utf8Text(raw);
        } else {
            for (byte b : raw) {
                if (b < 0x20 || b > 0x7e) {
                    throw ParseException.no("Mailbox names must be 7-bit modified UTF-7 (or enable UTF8=ACCEPT)");
                }
            }
            name = MailboxNames.decodeModifiedUtf7(new String(raw, StandardCharsets.US_ASCII))
                    .orElseThrow(() -> ParseException.no("Mailbox name is not valid modified UTF-7"));
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw ParseException.no("Mailbox name contains control characters");
            }
        }
        return MailboxNames.normalizeInbox(name);
    }

    /**
     * A LIST pattern: like a mailbox name, but a pattern that is not valid modified UTF-7 is taken as
     * written and simply matches nothing, as other servers do, instead of failing the command.
     */
    static String decodePattern(CommandCursor c, byte[] raw) {
        if (!c.utf8()) {
            boolean ascii = true;
            for (byte b : raw) ascii &= b >= 0x20 && b <= 0x7e;
            if (ascii && MailboxNames.decodeModifiedUtf7(new String(raw, StandardCharsets.US_ASCII)).isEmpty()) {
                return new String(raw, StandardCharsets.US_ASCII);
            }
        }
        return decodeMailbox(c, raw);
    }

    /** Strict UTF-8 text without NUL: user names, passwords, search strings, ID values. */
    static String utf8Text(byte[] raw) {
        for (byte b : raw) {
            if (b == 0) {
                throw ParseException.bad("NUL octet in a string");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw ParseException.bad("Invalid UTF-8 in a string");
        }
    }

    // RFC 9051 §9 date = date-text / DQUOTE date-text DQUOTE
    static LocalDate date(CommandCursor c) {
        String text = c.peek() == '"' ? CommandCursor.ascii(c.quoted()) : c.atom();
        return ImapDates.parseDate(text).orElseThrow(() -> ParseException.bad("Invalid date"));
    }

    // RFC 9051 §9 date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
    static OffsetDateTime dateTime(CommandCursor c) {
        if (c.peek() != '"') {
            throw ParseException.bad("Expected a date-time");
        }
        return ImapDates.parseDateTime(CommandCursor.ascii(c.quoted())).orElseThrow(() -> ParseException.bad("Invalid date-time"));
    }
}
