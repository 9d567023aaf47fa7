package dev.postvault.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {
    @Test
    void atMostIsMetUpToAndIncludingTheLimit() {
        assertThat(Target.atMost("open", 2.0, 2.0, "ms").met()).isTrue();
        assertThat(Target.atMost("open", 2.01, 2.0, "ms").met()).isFalse();
        assertThat(Target.atMost("open", 2.01, 2.0, "ms").describe()).endsWith("MISSED");
    }

    @Test
    void atLeastIsMetFromTheLimitUp() {
        assertThat(Target.atLeast("rate", 500, 500, "messages/s").met()).isTrue();
        assertThat(Target.atLeast("rate", 499.9, 500, "messages/s").met()).isFalse();
        assertThat(Target.atLeast("rate", 612, 500, "messages/s").describe()).contains("≥").endsWith("MET");
    }
}
