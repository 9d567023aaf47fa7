package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FetchRenderedTest {
    @Test
    void writesSmallAndLargePartsBackInOrder() throws Exception {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 'x');
        var r = new FetchHandler.Rendered();
        r.write("* 1 FETCH (BODY[] {200000}\r\n".getBytes(StandardCharsets.US_ASCII));
        r.write(big, 0, big.length);
        r.write(')');
        r.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        var expected = new ByteArrayOutputStream();
        expected.write("* 1 FETCH (BODY[] {200000}\r\n".getBytes(StandardCharsets.US_ASCII));
        expected.write(big);
        expected.write(")\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.size()).isEqualTo(expected.size());
        var out = new ByteArrayOutputStream();
        r.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        r.reset();
        assertThat(r.size()).isZero();
        r.write(big, 10, 70_000);
        out.reset();
        r.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(big, 10, 70_010));
    }
}
