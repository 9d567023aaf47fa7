package dev.postvault.pop3.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines fed at every split point come out the same; limits and bad bytes are reported, not fatal. */
class Pop3LineReaderTest {
    private static final byte[] INPUT = "USER a@b\r\nPASS p w\nNOOP\r\n".getBytes(StandardCharsets.UTF_8);

    private static List<String> readAll(InputStream in, int max) throws IOException {
        var r = new Pop3LineReader(in);
        List<String> out = new ArrayList<>();
        while (true) {
            switch (r.read(max)) {
                case Pop3LineReader.Line.Text t -> out.add(t.text());
                case Pop3LineReader.Line.TooLong l -> out.add("<too long>");
                case Pop3LineReader.Line.InvalidUtf8 i -> out.add("<invalid utf-8>");
                case Pop3LineReader.Line.EndOfStream e -> {
                    return out;
                }
            }
        }
    }

    @Test
    void everySplitPointReadsTheSameLines() throws IOException {
        for (int at = 0; at <= INPUT.length; at++) {
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(INPUT, 0, at), new ByteArrayInputStream(INPUT, at, INPUT.length - at));
            assertThat(readAll(in, 255)).as("split at %d", at).containsExactly("USER a@b", "PASS p w", "NOOP");
        }
    }

    @Test
    void anOverlongLineIsSkippedAndTheNextOneRead() throws IOException {
        byte[] in = ("X".repeat(10_000) + "\r\nSTAT\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(readAll(new ByteArrayInputStream(in), 255)).containsExactly("<too long>", "STAT");
    }

    @Test
    void invalidUtf8IsReportedAndTheNextLineRead() throws IOException {
        byte[] in = {'U', 'S', 'E', 'R', ' ', (byte) 0xff, '\r', '\n', 'Q', 'U', 'I', 'T', '\r', '\n'};
        assertThat(readAll(new ByteArrayInputStream(in), 255)).containsExactly("<invalid utf-8>", "QUIT");
    }

    @Test
    void anUnterminatedLastLineIsEndOfStream() throws IOException {
        assertThat(readAll(new ByteArrayInputStream("STAT\r\nQUI".getBytes(StandardCharsets.US_ASCII)), 255)).containsExactly("STAT");
    }
}
