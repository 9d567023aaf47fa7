package dev.postvault.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void nearestRankPercentilesOfOneToTen() {
        long[] samples = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5};
        Stats s = Stats.of(samples);
        assertThat(s.count()).isEqualTo(10);
        assertThat(s.medianNanos()).isEqualTo(5);
        assertThat(s.p90Nanos()).isEqualTo(9);
        assertThat(s.minNanos()).isEqualTo(1);
        assertThat(s.maxNanos()).isEqualTo(10);
        assertThat(s.totalNanos()).isEqualTo(55);
        assertThat(samples).containsExactly(7, 3, 10, 1, 9, 2, 8, 4, 6, 5); // input left unsorted
    }

    @Test
    void oneSampleIsEveryPercentile() {
        Stats s = Stats.of(new long[] {42});
        assertThat(s.medianNanos()).isEqualTo(42);
        assertThat(s.p90Nanos()).isEqualTo(42);
        assertThat(s.medianMillis()).isEqualTo(42e-6);
    }

    @Test
    void medianOfAnEvenCountIsTheLowerMiddle() {
        assertThat(Stats.of(new long[] {4, 1, 3, 2}).medianNanos()).isEqualTo(2);
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> Stats.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
