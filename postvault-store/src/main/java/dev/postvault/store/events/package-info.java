/**
 * Typed change events, published after the change commits and in commit order (STYLE.md §7), so IMAP
 * IDLE, NOOP and other sessions learn of new mail, flag changes and expunges. In-process here; Redis
 * pub/sub implements the same interface in a cluster.
 */
package dev.postvault.store.events;
