package dev.postvault.pop3.session;

import dev.postvault.store.mailbox.Folder;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SystemFlag;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The maildrop of one POP3 session: INBOX as it was at login, numbered from 1 (RFC 1939 §5), with the
 * session's deletion marks. Messages delivered later appear at the next login; deletions reach the
 * store only in {@link #update()}, the UPDATE state after QUIT (RFC 1939 §6).
 */
final class Maildrop {
    record Message(int number, long uid, long size, long contentId, String uidl) {}

    private final Mailbox mailbox;
    private final Folder inbox;
    private final List<Message> messages;
    private final BitSet deleted = new BitSet();
    private final BitSet retrieved = new BitSet();

    private Maildrop(Mailbox mailbox, Folder inbox, List<Message> messages) {
        this.mailbox = mailbox;
        this.inbox = inbox;
        this.messages = messages;
    }

    static Maildrop of(Mailbox mailbox) {
        Folder inbox = mailbox.folder(Folder.INBOX);
        List<Message> list = new ArrayList<>();
        for (MessageMeta m : mailbox.messages(inbox.id())) {
            list.add(new Message(list.size() + 1, m.uid(), m.size(), m.contentId(), uidl(m.uid(), inbox.uidValidity())));
        }
        return new Maildrop(mailbox, inbox, List.copyOf(list));
    }

    /**
     * RFC 1939 §7 UIDL: 1 to 70 characters in 0x21..0x7E, never reused for another message. The UID
     * and the UIDVALIDITY together name a message for good (RFC 9051 §2.3.1.1); flags, keywords and
     * IMAP reading do not change them. The same form as Dovecot's default, so a client that moves
     * between the two servers sees the same identifiers for the same UIDs.
     */
    static String uidl(long uid, long uidValidity) {
        return String.format(Locale.ROOT, "%08x%08x", uid, uidValidity);
    }

    /** A message that is neither out of range nor marked deleted. */
    Optional<Message> live(int number) {
        if (number < 1 || number > messages.size() || deleted.get(number)) return Optional.empty();
        return Optional.of(messages.get(number - 1));
    }

    boolean exists(int number) {
        return number >= 1 && number <= messages.size();
    }

    boolean isDeleted(int number) {
        return deleted.get(number);
    }

    /** Messages not marked deleted, in order. */
    List<Message> live() {
        return messages.stream().filter(m -> !deleted.get(m.number())).toList();
    }

    int liveCount() {
        return messages.size() - deleted.cardinality();
    }

    long liveOctets() {
        return live().stream().mapToLong(Message::size).sum();
    }

    void delete(int number) {
        deleted.set(number);
    }

    void undeleteAll() {
        deleted.clear();
    }

    /** Writes a message's bytes as stored and remembers it was read (for \Seen at UPDATE). */
    void write(Message m, OutputStream out) throws IOException {
        mailbox.writeRaw(m.contentId(), out);
        retrieved.set(m.number());
    }

    /**
     * RFC 1939 §6: removes the messages marked deleted and marks the retrieved ones \Seen, as IMAP
     * clients of the same mailbox expect. Messages already gone (expunged over IMAP meanwhile) are
     * skipped. Returns the number of messages left in INBOX.
     */
    int update() {
        List<Long> seen = new ArrayList<>();
        List<Long> doomed = new ArrayList<>();
        for (Message m : messages) {
            if (deleted.get(m.number())) doomed.add(m.uid());
            else if (retrieved.get(m.number())) seen.add(m.uid());
        }
        if (!seen.isEmpty()) mailbox.addFlags(inbox.id(), seen, Set.of(SystemFlag.SEEN));
        if (!doomed.isEmpty()) mailbox.expunge(inbox.id(), doomed);
        return mailbox.messages(inbox.id()).size();
    }
}
