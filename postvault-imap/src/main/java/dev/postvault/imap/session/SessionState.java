package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapState;
import dev.postvault.store.account.OpenMailbox;
import dev.postvault.store.mailbox.Mailbox;

/**
 * The session's state (RFC 9051 §3), each holding exactly what commands in it may use: nothing before
 * login, the open mailbox after it, and the selected folder's view once one is selected. The command
 * table ({@link dev.postvault.imap.codec.ImapCommandSpec}) admits a command only in its states, so a
 * handler asking its {@link Exchange} for the selected folder always gets one.
 */
sealed interface SessionState {
    ImapState name();

    record NotAuthenticated() implements SessionState {
        @Override
        public ImapState name() {
            return ImapState.NOT_AUTHENTICATED;
        }
    }

    record Authenticated(OpenMailbox login) implements SessionState {
        @Override
        public ImapState name() {
            return ImapState.AUTHENTICATED;
        }

        Selected select(SelectedFolder folder) {
            return new Selected(login, folder);
        }
    }

    record Selected(OpenMailbox login, SelectedFolder folder) implements SessionState {
        @Override
        public ImapState name() {
            return ImapState.SELECTED;
        }

        Authenticated unselect() {
            return new Authenticated(login);
        }
    }

    /** The mailbox of a logged-in state. */
    static Mailbox mailbox(SessionState s) {
        return switch (s) {
            case Authenticated a -> a.login().mailbox();
            case Selected sel -> sel.login().mailbox();
            case NotAuthenticated n -> throw new IllegalStateException("the command table admits this command only after login");
        };
    }
}
