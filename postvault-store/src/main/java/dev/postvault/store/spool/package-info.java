/**
 * The spool (ARCHITECTURE.md §3): mail accepted while nobody holds the alias's DEK. Each message is
 * one file {@code <data>/spool/<aliasId>/<spoolId>.msg}, sealed to the alias's hybrid public key inside
 * a container whose header is encrypted under the server's spool key. A file is complete only once it
 * has been written, fsync'd and renamed into place, and the MX answers 250 only after that. Draining
 * inserts into INBOX with a receipt per spool id in the same transaction, then removes the files, so a
 * crash at any point neither loses nor duplicates a message.
 */
package dev.postvault.store.spool;
