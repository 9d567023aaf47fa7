package dev.postvault.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandRateTest {
    @Test
    void aBurstPassesAndThenCommandsArePaced() throws Exception {
        var rate = new CommandRate(new CommandRate.Limit(50, 10));
        for (int i = 0; i < 10; i++) assertThat(rate.acquire()).isEqualTo(Duration.ZERO);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) rate.acquire();
        long millis = (System.nanoTime() - start) / 1_000_000;
        // Ten more at 50 per second need about 200 ms in all; a paced client is slowed, not refused.
        assertThat(millis).isBetween(150L, 2_000L);
    }
}
