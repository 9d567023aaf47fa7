package dev.postvault.imap.session;

import dev.postvault.imap.codec.ImapCommand;

/**
 * Every command to its handler, all with one signature: {@code Next handler(Exchange x, C command)}.
 * The switch is exhaustive over the sealed {@link ImapCommand}, so a command without a handler does
 * not compile. Which state a command may run in is the command table's business
 * ({@link dev.postvault.imap.codec.ImapCommandSpec}), checked by the reader before any literal.
 */
final class Dispatch {
    private Dispatch() {}

    static Next run(Exchange x, ImapCommand command) {
        return switch (command) {
            // any state (RFC 9051 §6.1)
            case ImapCommand.Capability c -> ConnectionHandler.capability(x, c);
            case ImapCommand.Noop c -> ConnectionHandler.noop(x, c);
            case ImapCommand.Logout c -> ConnectionHandler.logout(x, c);
            case ImapCommand.Id c -> ConnectionHandler.id(x, c);
            // not authenticated (§6.2)
            case ImapCommand.StartTls c -> ConnectionHandler.startTls(x, c);
            case ImapCommand.Login c -> AuthHandler.login(x, c);
            case ImapCommand.Authenticate c -> AuthHandler.authenticate(x, c);
            // authenticated (§6.3)
            case ImapCommand.Enable c -> ConnectionHandler.enable(x, c);
            case ImapCommand.Compress c -> ConnectionHandler.compress(x, c);
            case ImapCommand.Select c -> SelectHandler.select(x, c);
            case ImapCommand.Examine c -> SelectHandler.examine(x, c);
            case ImapCommand.Create c -> MailboxHandler.create(x, c);
            case ImapCommand.Delete c -> MailboxHandler.delete(x, c);
            case ImapCommand.Rename c -> MailboxHandler.rename(x, c);
            case ImapCommand.Subscribe c -> MailboxHandler.subscribe(x, c);
            case ImapCommand.Unsubscribe c -> MailboxHandler.unsubscribe(x, c);
            case ImapCommand.Namespace c -> MailboxHandler.namespace(x, c);
            case ImapCommand.Status c -> MailboxHandler.status(x, c);
            case ImapCommand.ListMailboxes c -> ListHandler.list(x, c);
            case ImapCommand.Lsub c -> ListHandler.lsub(x, c);
            case ImapCommand.Append c -> AppendHandler.append(x, c);
            case ImapCommand.Idle c -> IdleHandler.idle(x, c);
            case ImapCommand.GetQuota c -> QuotaHandler.getQuota(x, c);
            case ImapCommand.GetQuotaRoot c -> QuotaHandler.getQuotaRoot(x, c);
            case ImapCommand.SetQuota c -> QuotaHandler.setQuota(x, c);
            // selected (§6.4)
            case ImapCommand.Check c -> ConnectionHandler.check(x, c);
            case ImapCommand.Close c -> SelectHandler.close(x, c);
            case ImapCommand.Unselect c -> SelectHandler.unselect(x, c);
            case ImapCommand.Expunge c -> ExpungeHandler.expunge(x, c);
            case ImapCommand.UidExpunge c -> ExpungeHandler.uidExpunge(x, c);
            case ImapCommand.Fetch c -> FetchHandler.fetch(x, c);
            case ImapCommand.Store c -> StoreHandler.store(x, c);
            case ImapCommand.Copy c -> CopyMoveHandler.copy(x, c);
            case ImapCommand.Move c -> CopyMoveHandler.move(x, c);
            case ImapCommand.Search c -> SearchHandler.search(x, c);
            case ImapCommand.Sort c -> SortHandler.sort(x, c);
            case ImapCommand.ThreadMessages c -> ThreadHandler.thread(x, c);
        };
    }
}
