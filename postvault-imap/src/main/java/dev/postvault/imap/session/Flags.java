package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.SystemFlag;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Flags on the wire (RFC 9051 §2.3.2): system flags and keywords. */
final class Flags {
    static final List<String> SYSTEM = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft");

    private Flags() {}

    static String wire(SystemFlag f) {
        return switch (f) {
            case SEEN -> "\\Seen";
            case ANSWERED -> "\\Answered";
            case FLAGGED -> "\\Flagged";
            case DELETED -> "\\Deleted";
            case DRAFT -> "\\Draft";
        };
    }

    /** A parenthesised flag list; {@code recent} adds IMAP4rev1's session flag \Recent. */
    static void write(ImapResponseWriter w, MessageFlags flags, boolean recent) {
        w.beginList();
        if (recent) w.flag("\\Recent");
        for (SystemFlag s : flags.system()) w.flag(wire(s));
        for (String k : flags.keywords()) w.flag(k);
        w.endList();
    }

    /**
     * Flags a client sent, or empty if one of them cannot be stored: an unknown system flag, or
     * {@code \Recent}, which only the server sets (RFC 9051 §2.3.2). Empty means BAD.
     */
    static Optional<MessageFlags> parse(List<String> given) {
        EnumSet<SystemFlag> system = EnumSet.noneOf(SystemFlag.class);
        TreeSet<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String f : given) {
            if (f.startsWith("\\")) {
                switch (f.toLowerCase(Locale.ROOT)) {
                    case "\\seen" -> system.add(SystemFlag.SEEN);
                    case "\\answered" -> system.add(SystemFlag.ANSWERED);
                    case "\\flagged" -> system.add(SystemFlag.FLAGGED);
                    case "\\deleted" -> system.add(SystemFlag.DELETED);
                    case "\\draft" -> system.add(SystemFlag.DRAFT);
                    default -> {
                        return Optional.empty();
                    }
                }
            } else {
                keywords.add(f);
            }
        }
        return Optional.of(new MessageFlags(system, keywords));
    }
}
