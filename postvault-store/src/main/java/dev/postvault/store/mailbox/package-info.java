/**
 * One encrypted SQLite file per alias (ARCHITECTURE.md §3): folders with UIDVALIDITY, UIDNEXT and
 * HIGHESTMODSEQ; messages with UID, MODSEQ, flags, keywords and dates; message contents stored byte
 * for byte as a skeleton plus de-duplicated attachment blobs; the parsed MIME structure cached per
 * content; an FTS5 trigram index; a change journal; spool receipts for idempotent delivery.
 *
 * <h2>Implementation notes (invariants)</h2>
 * <ul>
 *   <li>{@code raw(content)} returns exactly the bytes that were appended; blobs store decoded
 *       attachment bytes only when re-encoding them with the recorded layout reproduces the original.</li>
 *   <li>Every change takes a new mailbox-wide MODSEQ from {@code counters} and writes a journal row in
 *       the same transaction; the folder's HIGHESTMODSEQ is the largest MODSEQ of its changes.</li>
 *   <li>UIDs are assigned from the folder's UIDNEXT inside the write transaction and never reused.</li>
 *   <li>Events are published after commit (see {@link dev.postvault.store.events.ChangeBus}).</li>
 * </ul>
 */
package dev.postvault.store.mailbox;
