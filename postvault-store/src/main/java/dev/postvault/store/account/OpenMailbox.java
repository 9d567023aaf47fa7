package dev.postvault.store.account;

import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.events.ChangeBus;
import dev.postvault.store.events.ChangeEvent;
import dev.postvault.store.mailbox.Mailbox;
import java.util.function.Consumer;

/**
 * What a protocol session holds after {@link Logins#open}: the alias, its open mailbox, and the
 * spool feed that keeps delivering into it. Close it when the session ends.
 */
public final class OpenMailbox implements AutoCloseable {
    private final Unlocked user;
    private final Mailbox mailbox;
    private final ChangeBus bus;
    private final SpoolFeed feed;
    private ChangeBus.Subscription changes;

    OpenMailbox(Unlocked user, Mailbox mailbox, ChangeBus bus, SpoolFeed feed) {
        this.user = user;
        this.mailbox = mailbox;
        this.bus = bus;
        this.feed = feed;
    }

    public AliasRecord alias() {
        return user.alias();
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    /**
     * Hears of the alias's changes (other sessions' writes, deliveries, a restore) until close; the
     * listener runs on the publisher's thread and must only record and hand off.
     */
    public synchronized void onChange(Consumer<ChangeEvent> listener) {
        if (changes != null) throw new IllegalStateException("already listening");
        changes = bus.subscribe(user.alias().id(), listener);
    }

    @Override
    public synchronized void close() {
        if (changes != null) changes.close();
        changes = null;
        feed.close();
        mailbox.close();
    }
}
