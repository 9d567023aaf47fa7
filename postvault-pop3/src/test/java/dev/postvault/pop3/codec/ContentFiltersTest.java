package dev.postvault.pop3.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Dot-stuffing and TOP's cut, each written whole, byte by byte, and split at every point. */
class ContentFiltersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code in} through the filter in two writes split at {@code at} (and finishes the stream). */
    private static byte[] through(Function<OutputStream, OutputStream> filter, byte[] in, int at) throws IOException {
        var sink = new ByteArrayOutputStream();
        OutputStream f = filter.apply(sink);
        f.write(in, 0, at);
        f.write(in, at, in.length - at);
        f.close();
        return sink.toByteArray();
    }

    private static byte[] byteByByte(Function<OutputStream, OutputStream> filter, byte[] in) throws IOException {
        var sink = new ByteArrayOutputStream();
        OutputStream f = filter.apply(sink);
        for (byte x : in) f.write(x);
        f.close();
        return sink.toByteArray();
    }

    private static void sameAtEverySplit(Function<OutputStream, OutputStream> filter, byte[] in, byte[] expected) throws IOException {
        for (int at = 0; at <= in.length; at++) {
            assertThat(new String(through(filter, in, at), StandardCharsets.ISO_8859_1)).as("split at %d", at)
                    .isEqualTo(new String(expected, StandardCharsets.ISO_8859_1));
        }
        assertThat(byteByByte(filter, in)).isEqualTo(expected);
    }

    @Test
    void dotStuffingDoublesLeadingDotsAndEndsWithCrlf() throws IOException {
        sameAtEverySplit(DotStuffingOutputStream::new, b(".\r\n..a\r\nb.c\r\n.d"), b("..\r\n...a\r\nb.c\r\n..d\r\n"));
        sameAtEverySplit(DotStuffingOutputStream::new, b("a\nb\r\n.\n"), b("a\r\nb\r\n..\r\n"));
        sameAtEverySplit(DotStuffingOutputStream::new, b("x\r"), b("x\r\n"));
        sameAtEverySplit(DotStuffingOutputStream::new, b(""), b(""));
        sameAtEverySplit(DotStuffingOutputStream::new, b("8bit \u00e9\u00ff\0\r\n"), b("8bit \u00e9\u00ff\0\r\n"));
    }

    @Test
    void dotStuffingUnstuffsBackToTheInputForRandomCrlfContent() throws IOException {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int lines = r.nextInt(8);
            for (int i = 0; i < lines; i++) {
                int len = r.nextInt(6);
                for (int j = 0; j < len; j++) sb.append(".ab\u00e9".charAt(r.nextInt(4)));
                sb.append("\r\n");
            }
            byte[] in = b(sb.toString());
            byte[] out = through(DotStuffingOutputStream::new, in, r.nextInt(in.length + 1));
            String unstuffed = new String(out, StandardCharsets.ISO_8859_1).replaceAll("(?m)^\\.", "");
            assertThat(unstuffed).isEqualTo(sb.toString());
        }
    }

    @Test
    void topKeepsTheHeaderTheBlankLineAndNLines() throws IOException {
        byte[] msg = b("A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n");
        sameAtEverySplit(o -> new TopOutputStream(o, 0), msg, b("A: 1\r\nB: 2\r\n\r\n"));
        sameAtEverySplit(o -> new TopOutputStream(o, 2), msg, b("A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\n"));
        sameAtEverySplit(o -> new TopOutputStream(o, 99), msg, msg);
        sameAtEverySplit(o -> new TopOutputStream(o, 1), b("A: 1\nB: 2\n\nl1\nl2\n"), b("A: 1\nB: 2\n\nl1\n"));
        sameAtEverySplit(o -> new TopOutputStream(o, 0), b("Only: header\r\nNo: body"), b("Only: header\r\nNo: body"));
        sameAtEverySplit(o -> new TopOutputStream(o, 1), b("\r\nbody first\r\nsecond\r\n"), b("\r\nbody first\r\n"));
    }
}
