package dev.postvault.imap.session;

import dev.postvault.store.mailbox.SystemFlag;
import java.util.List;

/** System flags on the wire (RFC 9051 §2.3.2). */
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
}
