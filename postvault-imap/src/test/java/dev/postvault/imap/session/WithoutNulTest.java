package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WithoutNulTest {
    @Test
    void findsTheFirstNulWhereverItIsAndReplacesEveryOne() {
        Random r = new Random(5);
        byte[] pool = {1, (byte) 0x80, (byte) 0xff, (byte) 0x81, 0x7f, 'a'};
        for (int round = 0; round < 5000; round++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int i = 0; i < b.length; i++) b[i] = pool[r.nextInt(pool.length)];
            int nuls = b.length == 0 ? 0 : r.nextInt(3);
            for (int k = 0; k < nuls; k++) b[r.nextInt(b.length)] = 0;
            int expected = -1;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    expected = i;
                    break;
                }
            }
            assertThat(FetchHandler.indexOfNul(b)).isEqualTo(expected);
            byte[] out = FetchHandler.withoutNul(b);
            if (expected < 0) {
                assertThat(out).isSameAs(b);
            } else {
                assertThat(out).hasSameSizeAs(b).doesNotContain((byte) 0);
                for (int i = 0; i < b.length; i++) assertThat(out[i]).isEqualTo(b[i] == 0 ? (byte) 0x80 : b[i]);
            }
        }
    }
}
