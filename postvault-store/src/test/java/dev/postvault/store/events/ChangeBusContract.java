package dev.postvault.store.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChangeBus} must have (STYLE.md §8). Implementations provide a fresh
 * bus; the in-process {@link LocalChangeBus} runs it now, a Redis bus will run the same tests.
 * Delivery may be asynchronous: every test waits for what must arrive, and checks that something
 * did not arrive only after a later event has.
 */
public interface ChangeBusContract {
    /** How long a test waits for an event that must arrive. */
    Duration WAIT = Duration.ofSeconds(5);

    ChangeBus bus();

    /** A listener that keeps the events it is given. */
    final class Recorder implements Consumer<ChangeEvent> {
        private final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void accept(ChangeEvent event) {
            events.add(event);
        }

        /** The next event, waited for up to {@link #WAIT}. */
        ChangeEvent next() throws InterruptedException {
            ChangeEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(e).as("an event within %s", WAIT).isNotNull();
            return e;
        }

        /** What was delivered and not yet taken by {@link #next}. */
        List<ChangeEvent> unread() {
            return List.copyOf(events);
        }
    }

    @Test
    default void eventsReachOnlyTheSubscribersOfTheirAlias() throws Exception {
        ChangeBus bus = bus();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (var sa = bus.subscribe("alias-a", a); var sb = bus.subscribe("alias-b", b)) {
            assertThatCode(() -> bus.publish(new ChangeEvent.SpoolArrived("alias-nobody"))).doesNotThrowAnyException();
            bus.publish(new ChangeEvent.FoldersChanged("alias-b"));
            bus.publish(new ChangeEvent.SpoolArrived("alias-a"));
            assertThat(b.next()).isEqualTo(new ChangeEvent.FoldersChanged("alias-b"));
            assertThat(a.next()).isEqualTo(new ChangeEvent.SpoolArrived("alias-a"));
            assertThat(a.unread()).isEmpty();
            assertThat(b.unread()).isEmpty();
        }
    }

    /** Sessions rely on this: an EXPUNGE must not overtake the EXISTS it follows. */
    @Test
    default void everySubscriberGetsEveryEventInPublishOrder() throws Exception {
        ChangeBus bus = bus();
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        List<ChangeEvent> published = new ArrayList<>();
        try (var s1 = bus.subscribe("alias-a", first); var s2 = bus.subscribe("alias-a", second)) {
            for (long n = 1; n <= 200; n++) {
                ChangeEvent e = switch ((int) (n % 5)) {
                    case 0 -> new ChangeEvent.MessagesAdded("alias-a", 1, n, n);
                    case 1 -> new ChangeEvent.FlagsChanged("alias-a", 1, n);
                    case 2 -> new ChangeEvent.MessagesExpunged("alias-a", 2, n);
                    case 3 -> new ChangeEvent.FoldersChanged("alias-a");
                    default -> new ChangeEvent.SpoolArrived("alias-a");
                };
                published.add(e);
                bus.publish(e);
            }
            for (Recorder r : List.of(first, second)) {
                List<ChangeEvent> got = new ArrayList<>();
                for (int i = 0; i < published.size(); i++) got.add(r.next());
                assertThat(got).containsExactlyElementsOf(published);
                assertThat(r.unread()).isEmpty();
            }
        }
    }

    @Test
    default void aClosedSubscriptionGetsNothingMore() throws Exception {
        ChangeBus bus = bus();
        Recorder kept = new Recorder();
        Recorder gone = new Recorder();
        try (var k = bus.subscribe("alias-a", kept)) {
            var g = bus.subscribe("alias-a", gone);
            bus.publish(new ChangeEvent.FlagsChanged("alias-a", 1, 1));
            assertThat(gone.next()).isEqualTo(new ChangeEvent.FlagsChanged("alias-a", 1, 1));
            assertThat(kept.next()).isEqualTo(new ChangeEvent.FlagsChanged("alias-a", 1, 1));
            g.close();
            g.close(); // a session may close twice (logout, then the end of the connection)
            bus.publish(new ChangeEvent.FlagsChanged("alias-a", 1, 2));
            assertThat(kept.next()).as("the other subscription still works").isEqualTo(new ChangeEvent.FlagsChanged("alias-a", 1, 2));
            assertThat(gone.unread()).isEmpty();
        }
    }

    @Test
    default void anAliasCanBeSubscribedAgainAfterItsLastSubscriptionClosed() throws Exception {
        ChangeBus bus = bus();
        Recorder before = new Recorder();
        bus.subscribe("alias-a", before).close();
        bus.publish(new ChangeEvent.FlagsChanged("alias-a", 1, 1)); // nobody listens
        Recorder after = new Recorder();
        try (var s = bus.subscribe("alias-a", after)) {
            bus.publish(new ChangeEvent.FlagsChanged("alias-a", 1, 2));
            assertThat(after.next()).isEqualTo(new ChangeEvent.FlagsChanged("alias-a", 1, 2));
        }
        assertThat(before.unread()).isEmpty();
        assertThat(after.unread()).isEmpty();
    }

    /**
     * Publishers publish after their commit (a spool append the MX then acknowledges, an APPEND the
     * client is then told of): one session's faulty listener must neither fail the publisher nor
     * keep the event from the other sessions.
     */
    @Test
    default void aThrowingSubscriberStopsNeitherThePublisherNorTheOthers() throws Exception {
        ChangeBus bus = bus();
        Recorder before = new Recorder();
        Recorder after = new Recorder();
        try (var s1 = bus.subscribe("alias-a", before);
             var s2 = bus.subscribe("alias-a", e -> {
                 throw new IllegalStateException("a faulty listener");
             });
             var s3 = bus.subscribe("alias-a", after)) {
            assertThatCode(() -> bus.publish(new ChangeEvent.SpoolArrived("alias-a"))).doesNotThrowAnyException();
            assertThat(before.next()).isEqualTo(new ChangeEvent.SpoolArrived("alias-a"));
            assertThat(after.next()).isEqualTo(new ChangeEvent.SpoolArrived("alias-a"));
        }
    }

    /**
     * One session of an alias subscribes while the alias's last other session unsubscribes (a
     * login racing a logout): the new subscription must be kept, or that session never hears of
     * new mail.
     */
    @Test
    default void aSubscriptionMadeWhileTheLastOneClosesIsKept() throws Exception {
        ChangeBus bus = bus();
        int rounds = 20_000;
        ChangeBus.Subscription[] leaving = new ChangeBus.Subscription[rounds];
        Recorder[] arriving = new Recorder[rounds];
        for (int i = 0; i < rounds; i++) {
            leaving[i] = bus.subscribe("race-" + i, e -> { });
            arriving[i] = new Recorder();
        }
        CyclicBarrier together = new CyclicBarrier(2);
        List<ChangeBus.Subscription> kept = new ArrayList<>();
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    together.await();
                    leaving[i].close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            for (int i = 0; i < rounds; i++) {
                together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                kept.add(bus.subscribe("race-" + i, arriving[i]));
            }
            closer.join(WAIT.toMillis());
            List<Integer> lost = new ArrayList<>();
            for (int i = 0; i < rounds; i++) bus.publish(new ChangeEvent.SpoolArrived("race-" + i));
            for (int i = 0; i < rounds; i++) {
                if (arriving[i].events.poll(i == 0 ? WAIT.toMillis() : 0, TimeUnit.MILLISECONDS) == null) lost.add(i);
            }
            assertThat(lost).as("rounds whose new subscription was lost").isEmpty();
        } finally {
            kept.forEach(ChangeBus.Subscription::close);
        }
    }
}
