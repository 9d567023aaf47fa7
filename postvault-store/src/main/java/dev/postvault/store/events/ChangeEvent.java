package dev.postvault.store.events;

/** What changed in one alias's mail. Carries ids and numbers only, never content. */
public sealed interface ChangeEvent {
    String aliasId();

    /** New sealed mail is waiting in the alias's spool; a session holding the DEK should drain it. */
    record SpoolArrived(String aliasId) implements ChangeEvent {}

    /** Messages were added to a folder up to {@code highestUid}, committed at {@code modseq}. */
    record MessagesAdded(String aliasId, long folderId, long highestUid, long modseq) implements ChangeEvent {}

    record FlagsChanged(String aliasId, long folderId, long modseq) implements ChangeEvent {}

    record MessagesExpunged(String aliasId, long folderId, long modseq) implements ChangeEvent {}

    record FoldersChanged(String aliasId) implements ChangeEvent {}

    /**
     * The mailbox file is being taken away from this node (a restore swaps it): sessions end now,
     * and opening it fails until it is released.
     */
    record MailboxWithdrawn(String aliasId) implements ChangeEvent {}
}
