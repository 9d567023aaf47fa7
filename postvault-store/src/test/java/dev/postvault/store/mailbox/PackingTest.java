package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.store.TestMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class PackingTest {
    private static final byte[] HEADER = ("Received: from mail.example.net (mail.example.net [192.0.2.7])\r\n"
            + "\tby mx.example.org (Postfix) with ESMTPS id 4XyZ1k2Lm3\r\n\tfor <hello@example.org>; Mon, 2 Nov 2026 10:00:00 +0100 (CET)\r\n"
            + "Message-ID: <a1b2c3@example.net>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\nFrom: Ada <ada@example.net>\r\n"
            + "To: hello@example.org\r\nSubject: Re: the plan\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSee you then.\r\n").getBytes(StandardCharsets.UTF_8);

    @Test
    void anUnpackerFindsAStringWhereverItFallsAndReadsColumnAfterColumn() {
        var random = new SplittableRandom(5);
        byte[] text = new byte[100_000];
        for (int i = 0; i < text.length; i++) text[i] = (byte) ('a' + random.nextInt(20)); // no 'x', 'y' or 'z'
        byte[] needle = "xyzzy".getBytes(StandardCharsets.US_ASCII);
        try (var unpacker = new Packing.Unpacker()) {
            // Across every chunk boundary (16 KiB), at the very start and at the very end.
            for (int at : new int[] {0, 16_382, 16_383, 16_384, 32_766, 50_000, text.length - needle.length}) {
                byte[] t = text.clone();
                System.arraycopy(needle, 0, t, at, needle.length);
                byte[] packed = Packing.pack(t);
                assertThat(unpacker.contains(packed, needle)).as("at %d", at).isTrue();
                assertThat(unpacker.unpack(packed)).isEqualTo(t);
            }
            byte[] packed = Packing.pack(text);
            assertThat(unpacker.contains(packed, needle)).isFalse();
            assertThat(unpacker.contains(packed, new byte[0])).isTrue();
            byte[] stored = {0, 'x', 'y', 'z', 'z', 'y'};
            assertThat(unpacker.contains(stored, needle)).isTrue();
            assertThat(unpacker.unpack(Packing.pack(HEADER))).isEqualTo(HEADER);
            assertThatThrownBy(() -> unpacker.contains(Arrays.copyOf(packed, packed.length / 2), needle))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aHeaderPacksWithTheDictionaryAndComesBackExactly() {
        byte[] packed = Packing.pack(HEADER);
        assertThat(packed[0]).isEqualTo((byte) 2);
        assertThat(Packing.unpack(packed)).isEqualTo(HEADER);
        assertThat(packed.length).as("smaller than deflate alone").isLessThan(plainDeflate(HEADER).length);
        byte[] message = TestMessages.simple("quarterly numbers", "attached as promised");
        assertThat(Packing.unpack(Packing.pack(message))).isEqualTo(message);
    }

    @Test
    void incompressibleBytesAreStoredAndEmptyInputRoundTrips() {
        byte[] random = new byte[300];
        new SplittableRandom(1).nextBytes(random);
        byte[] packed = Packing.pack(random);
        assertThat(packed[0]).isZero();
        assertThat(packed).hasSize(301);
        assertThat(Packing.unpack(packed)).isEqualTo(random);
        assertThat(Packing.unpack(Packing.pack(new byte[0]))).isEmpty();
    }

    @Test
    void columnsWrittenBeforeTheDictionaryStillUnpack() {
        assertThat(Packing.unpack(plainDeflate(HEADER))).isEqualTo(HEADER);
    }

    @Test
    void damageIsReportedNotReturned() {
        byte[] packed = Packing.pack(HEADER);
        assertThatThrownBy(() -> Packing.unpack(Arrays.copyOf(packed, packed.length / 2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Packing.unpack(new byte[] {9, 1, 2})).hasMessageContaining("unknown packing 9");
        assertThatThrownBy(() -> Packing.unpack(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDictionaryIsTheReleasedOne() {
        assertThat(Packing.DICTIONARY_V1).hasSize(2543);
        assertThat(new String(Packing.DICTIONARY_V1, StandardCharsets.US_ASCII)).startsWith("This is a multi-part message in MIME format.\r\n")
                .doesNotContain("\r\r").endsWith("----=_Part_\r\n");
    }

    /** Format 1, as Packing wrote it before the dictionary. */
    private static byte[] plainDeflate(byte[] data) {
        Deflater d = new Deflater(6, true);
        d.setInput(data);
        d.finish();
        var out = new ByteArrayOutputStream();
        out.write(1);
        byte[] buf = new byte[8192];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }
}
