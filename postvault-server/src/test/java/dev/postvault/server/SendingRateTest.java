package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SendingRateTest {
    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anAliasSendsItsLimitInAnyHourAndOthersAreNotCounted() {
        Manual clock = new Manual();
        SendingRate rate = new SendingRate(3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(rate.allows("a")).isTrue();
            rate.record("a");
            clock.now = clock.now.plus(Duration.ofMinutes(10));
        }
        assertThat(rate.allows("a")).isFalse(); // 10:00, 10:10, 10:20 sent; now 10:30
        assertThat(rate.allows("b")).isTrue();
        clock.now = Instant.parse("2026-12-07T11:00:00Z"); // the 10:00 message is an hour old: out of the window
        assertThat(rate.allows("a")).isTrue();
        rate.record("a");
        assertThat(rate.allows("a")).isFalse(); // 10:10, 10:20, 11:00
        clock.now = Instant.parse("2026-12-07T11:20:00Z");
        assertThat(rate.allows("a")).isTrue(); // 11:00 only
    }
}
