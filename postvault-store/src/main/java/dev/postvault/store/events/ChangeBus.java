package dev.postvault.store.events;

import java.util.function.Consumer;

/**
 * Delivers {@link ChangeEvent}s to subscribers of an alias. Listeners run on the publisher's thread
 * and must not block: they record the event and wake their session.
 */
public interface ChangeBus {
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    Subscription subscribe(String aliasId, Consumer<ChangeEvent> listener);

    void publish(ChangeEvent event);
}
