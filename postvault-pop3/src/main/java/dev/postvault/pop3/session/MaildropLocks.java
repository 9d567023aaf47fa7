package dev.postvault.pop3.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The maildrops held by a POP3 session on this node (RFC 1939 §4: the server acquires an exclusive
 * lock on the maildrop; RFC 2449 §8.1.1: a second session gets [IN-USE]). IMAP sessions do not take
 * it: they may go on changing the mailbox, and a POP3 session tolerates messages going away.
 */
public final class MaildropLocks {
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /** Takes the lock for an alias; false when another session has it. */
    public boolean tryLock(String aliasId) {
        return held.add(aliasId);
    }

    public void unlock(String aliasId) {
        held.remove(aliasId);
    }
}
