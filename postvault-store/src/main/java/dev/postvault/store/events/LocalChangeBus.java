package dev.postvault.store.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process bus for a single node. */
public final class LocalChangeBus implements ChangeBus {
    private static final Logger LOG = LoggerFactory.getLogger(LocalChangeBus.class);
    private final Map<String, List<Consumer<ChangeEvent>>> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(String aliasId, Consumer<ChangeEvent> listener) {
        // The add happens inside the map's atomic step: a concurrent close of the alias's last
        // subscription cannot drop the list (and this listener with it) in between.
        listeners.compute(aliasId, (k, l) -> {
            List<Consumer<ChangeEvent>> list = l != null ? l : new CopyOnWriteArrayList<>();
            list.add(listener);
            return list;
        });
        return () -> listeners.computeIfPresent(aliasId, (k, l) -> {
            l.remove(listener);
            return l.isEmpty() ? null : l;
        });
    }

    /**
     * Runs on the publisher's thread after its commit: a listener that throws is logged and the
     * others still hear of the event; the publisher never sees the failure.
     */
    @Override
    public void publish(ChangeEvent event) {
        List<Consumer<ChangeEvent>> l = listeners.get(event.aliasId());
        if (l == null) return;
        for (Consumer<ChangeEvent> c : l) {
            try {
                c.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a change listener for alias {} failed on {}", event.aliasId(), event.getClass().getSimpleName(), e);
            }
        }
    }
}
