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

    /**
     * Takes the lock for an alias, waiting up to {@code wait} for a session that is ending (a client that
     * dropped its connection and reconnects at once would otherwise race the old session's cleanup);
     * false when another session still has it.
     */
    public boolean tryLock(String aliasId, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!held.add(aliasId)) {
            if (System.nanoTime() >= deadline) return false;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public void unlock(String aliasId) {
        held.remove(aliasId);
    }
}
