/**
 * Backups (ARCHITECTURE.md §5): {@link dev.postvault.backup.MailboxBackups} makes verified snapshots
 * of open mailboxes and ciphertext copies of dormant ones, keeps versions under a
 * {@link dev.postvault.backup.Retention} policy, and fetches a version back, checked, for a restore.
 * Targets: {@link dev.postvault.backup.DirectoryTarget} and {@link dev.postvault.backup.S3Target}.
 * Errors are {@link dev.postvault.backup.BackupException}. Blocking calls; safe from any thread, one
 * backup per alias at a time.
 */
package dev.postvault.backup;
