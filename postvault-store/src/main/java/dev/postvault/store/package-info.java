/**
 * The protocol-neutral store (ARCHITECTURE.md §3): the control plane, accounts and keys, one encrypted
 * SQLite mailbox per alias, the sealed spool, and change events. It knows no IMAP, POP3 or SMTP; the
 * protocols map {@link dev.postvault.store.StoreException} to their wire replies in one place each.
 *
 * <h2>Implementation notes (invariants)</h2>
 * <ul>
 *   <li>Nothing derived from mail is written outside an encrypted file: mailboxes are SQLite3MultipleCiphers
 *       (ChaCha20-Poly1305) under the alias DEK, the control plane under a server subkey, spool files are
 *       sealed to the alias key inside a server-key container, and SQLite's temp store is memory.</li>
 *   <li>File names are random ids, never addresses or domains.</li>
 *   <li>One writer per mailbox: every write runs under the mailbox's writer lock; reads use separate
 *       connections and see WAL snapshots. No transaction is held across network I/O.</li>
 *   <li>All SQLite work passes through {@link dev.postvault.store.DbGate}, which bounds concurrent JNI
 *       calls per node (a JNI call pins a virtual thread's carrier).</li>
 *   <li>Commit, then publish: change events are published after the transaction commits, in commit order.</li>
 * </ul>
 */
package dev.postvault.store;
