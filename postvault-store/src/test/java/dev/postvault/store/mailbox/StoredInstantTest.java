package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoredInstantTest {
    @Test
    void readsWhatInstantToStringWritesExactly() {
        var random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 253_402_300_799L); // year 5 to 9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(StoredInstant.parse(t.toString())).as(t.toString()).isEqualTo(t);
            assertThat(StoredInstant.parse(t.toString().getBytes(UTF_8))).as(t.toString()).isEqualTo(t);
        }
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.MAX, Instant.MIN, Instant.parse("+12026-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.5Z")}) {
            assertThat(StoredInstant.parse(t.toString())).isEqualTo(t);
            assertThat(StoredInstant.parse(t.toString().getBytes(UTF_8))).isEqualTo(t);
        }
    }

    @Test
    void anyOtherTextIsReadAsInstantParseReadsIt() {
        for (String text : new String[] {"2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z",
                "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "2026-0a-01T00:00:00Z", "", "2026-01-01T00:00:00+01:00",
                "2026-01-01T-1:00:00Z", "2026-01-01T00:-1:00Z", "2026-01-01T00:00:-1Z", "2026-01-01T00:00:00.-5Z", "2026-01-01T00:00:00.5\u00e9Z"}) {
            Instant expected;
            try {
                expected = Instant.parse(text);
            } catch (java.time.DateTimeException e) {
                assertThatThrownBy(() -> StoredInstant.parse(text)).as(text).isInstanceOf(java.time.DateTimeException.class);
                assertThatThrownBy(() -> StoredInstant.parse(text.getBytes(UTF_8))).as(text).isInstanceOf(java.time.DateTimeException.class);
                continue;
            }
            assertThat(StoredInstant.parse(text)).as(text).isEqualTo(expected);
            assertThat(StoredInstant.parse(text.getBytes(UTF_8))).as(text).isEqualTo(expected);
        }
    }
}
