package dev.postvault.store.mailbox;

/** Counts for STATUS (RFC 9051 §6.3.11): messages, unseen, \Deleted, total size, and not yet \Recent-claimed. */
public record FolderStatus(Folder folder, long messages, long unseen, long deleted, long sizeBytes, long recent) {}
