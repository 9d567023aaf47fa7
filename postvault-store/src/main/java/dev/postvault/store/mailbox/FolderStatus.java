package dev.postvault.store.mailbox;

/**
 * Counts for STATUS (RFC 9051 §6.3.11): messages, unseen, \Deleted, total size, not yet
 * \Recent-claimed, and the size of the \Deleted messages (what EXPUNGE would free, RFC 9208 §4.2.3).
 */
public record FolderStatus(Folder folder, long messages, long unseen, long deleted, long sizeBytes, long recent, long deletedBytes) {}
