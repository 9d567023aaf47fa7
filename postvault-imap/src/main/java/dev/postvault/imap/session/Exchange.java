package dev.postvault.imap.session;

import dev.postvault.imap.ImapConfig;
import dev.postvault.imap.codec.ImapResponseWriter;
import dev.postvault.store.mailbox.Mailbox;

/**
 * One command's view of its session: the second argument of every handler
 * ({@code Next handle(Exchange x, C command)}). It gives the tag and the writer, what the current
 * state holds, and the few things a handler may ask of the session (announce changes, change state).
 */
final class Exchange {
    private final ImapSession session;
    private final String tag;

    Exchange(ImapSession session, String tag) {
        this.session = session;
        this.tag = tag;
    }

    String tag() {
        return tag;
    }

    ImapResponseWriter out() {
        return session.writer();
    }

    ImapSession session() {
        return session;
    }

    ImapConfig config() {
        return session.config();
    }

    /** Extensions this session has enabled (CONDSTORE, QRESYNC, IMAP4rev2). */
    Extensions enabled() {
        return session.enabled();
    }

    SessionState state() {
        return session.state();
    }

    /** The mailbox of a logged-in session. */
    Mailbox mailbox() {
        return SessionState.mailbox(session.state());
    }

    /** The selected folder's view; only for commands the table admits in the selected state. */
    SelectedFolder selected() {
        if (session.state() instanceof SessionState.Selected s) return s.folder();
        throw new IllegalStateException("the command table admits this command only with a folder selected");
    }

    /** Tells the client what changed meanwhile (RFC 9051 §7); EXPUNGE only when {@code mayExpunge}. */
    void announce(boolean mayExpunge) {
        session.announceChanges(mayExpunge);
    }

    /** {@link Next#CONTINUE} after a tagged OK with {@code text}. */
    Next ok(String text) {
        out().ok(tag, text);
        return Next.CONTINUE;
    }

    Next bad(String text) {
        out().bad(tag, text);
        return Next.CONTINUE;
    }
}
