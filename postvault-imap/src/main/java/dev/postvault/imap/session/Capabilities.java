package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapState;
import java.util.ArrayList;
import java.util.List;

/** What the server advertises: only what works in the session's current state (RFC 9051 §7.2.2). */
final class Capabilities {
    private Capabilities() {}

    static List<String> of(ImapSession s) {
        List<String> caps = new ArrayList<>(List.of("IMAP4rev1", "IMAP4rev2", s.literalPlus() ? "LITERAL+" : "LITERAL-", "SASL-IR", "ID", "CHILDREN", "UNSELECT", "NAMESPACE",
                "UIDPLUS", "MOVE", "IDLE", "ENABLE", "MULTIAPPEND", "CREATE-SPECIAL-USE", "ESEARCH", "WITHIN", "SAVEDATE",
                "OBJECTID", "QUOTA", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "BINARY", "UTF8=ACCEPT", "SORT", "SORT=DISPLAY", "CONDSTORE", "QRESYNC", "SEARCHRES", "STATUS=SIZE", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "COMPRESS=DEFLATE", "QUOTA=RES-STORAGE", "X-POSTVAULT-REGEX", "APPENDLIMIT=" + s.appendLimitBytes()));
        if (s.stateName() == ImapState.NOT_AUTHENTICATED) {
            if (s.startTlsAvailable()) caps.add("STARTTLS");
            if (s.plaintextAuthAllowed()) {
                caps.add("AUTH=PLAIN");
            } else {
                caps.add("LOGINDISABLED"); // RFC 9051 §6.2.3: no LOGIN before TLS
            }
        }
        return caps;
    }
}
