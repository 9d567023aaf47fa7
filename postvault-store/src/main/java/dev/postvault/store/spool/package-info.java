/**
 * The spool (ARCHITECTURE.md §3, ADR 0007): mail accepted while nobody holds the alias's DEK. Each
 * alias has append-only segments {@code <data>/spool/<aliasId>/<segment>.seg} of framed records
 * ({@link dev.postvault.store.spool.SegmentFormat}); each record holds a message sealed to the
 * alias's hybrid public key behind a header encrypted under the server's spool key. A record counts
 * once it was written whole and an fdatasync that began after it finished (group commit); the MX
 * answers 250 only after that. Draining inserts into INBOX with a receipt per spool id in the same
 * transaction; a segment is removed only when every record in it is committed and no writer holds
 * it, and only then are its receipts forgotten. So a crash at any point neither loses nor duplicates
 * an acknowledged message.
 */
package dev.postvault.store.spool;
