package dev.postvault.store.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The in-process bus for a single node. */
public final class LocalChangeBus implements ChangeBus {
    private final Map<String, List<Consumer<ChangeEvent>>> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(String aliasId, Consumer<ChangeEvent> listener) {
        listeners.computeIfAbsent(aliasId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(aliasId, (k, l) -> {
            l.remove(listener);
            return l.isEmpty() ? null : l;
        });
    }

    @Override
    public void publish(ChangeEvent event) {
        List<Consumer<ChangeEvent>> l = listeners.get(event.aliasId());
        if (l == null) return;
        for (Consumer<ChangeEvent> c : l) c.accept(event);
    }
}
