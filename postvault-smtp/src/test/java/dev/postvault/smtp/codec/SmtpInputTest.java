package dev.postvault.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmtpInputTest {

    private static SmtpInput input(String wire) {
        return input(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static SmtpInput input(byte[] wire) {
        return new SmtpInput(new ByteArrayInputStream(wire), () -> {});
    }

    private static String line(InputLine line) {
        assertThat(line).isInstanceOf(InputLine.Complete.class);
        return new String(((InputLine.Complete) line).bytes(), StandardCharsets.ISO_8859_1);
    }

    private static String body(MessageBuffer buffer) {
        return new String(buffer.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void commandLinesEndAtCrlfOrBareLf() {
        SmtpInput in = input("EHLO a\r\nNOOP\nQUIT\r\n");
        assertThat(line(in.readLine(512))).isEqualTo("EHLO a");
        assertThat(line(in.readLine(512))).isEqualTo("NOOP");
        assertThat(in.hasBuffered()).isTrue();
        assertThat(line(in.readLine(512))).isEqualTo("QUIT");
        assertThat(in.readLine(512)).isInstanceOf(InputLine.EndOfStream.class);
    }

    @Test
    void overlongLineIsConsumedAndReadingContinues() {
        SmtpInput in = input("NOOP " + "x".repeat(600) + "\r\nQUIT\r\n");
        assertThat(in.readLine(512)).isInstanceOf(InputLine.TooLong.class);
        assertThat(line(in.readLine(512))).isEqualTo("QUIT");
        SmtpInput exact = input("x".repeat(512) + "\r\n" + "y".repeat(513) + "\r\n");
        assertThat(line(exact.readLine(512))).hasSize(512);
        assertThat(exact.readLine(512)).isInstanceOf(InputLine.TooLong.class);
    }

    @Test
    void partialLastLineIsEndOfStream() {
        assertThat(input("QUI").readLine(512)).isInstanceOf(InputLine.EndOfStream.class);
    }

    @Test
    void dataIsDotUnstuffedAndEndsAtCrlfDotCrlf() {
        // RFC 5321 §4.5.2
        SmtpInput in = input("Subject: x\r\n\r\n..leading dot\r\n.\r\n...\r\nend\r\n.\r\nQUIT\r\n");
        MessageBuffer buffer = new MessageBuffer(1000);
        assertThat(in.readData(buffer, 1000)).isEqualTo(DataResult.COMPLETE);
        assertThat(body(buffer)).isEqualTo("Subject: x\r\n\r\n.leading dot\r\n");
        MessageBuffer second = new MessageBuffer(1000);
        assertThat(in.readData(second, 1000)).isEqualTo(DataResult.COMPLETE);
        assertThat(body(second)).isEqualTo("..\r\nend\r\n");
        assertThat(line(in.readLine(512))).isEqualTo("QUIT");
    }

    @Test
    void emptyMessage() {
        MessageBuffer buffer = new MessageBuffer(10);
        assertThat(input(".\r\n").readData(buffer, 1000)).isEqualTo(DataResult.COMPLETE);
        assertThat(buffer.toByteArray()).isEmpty();
    }

    @Test
    void bareLfNeverEndsData() {
        // Only CRLF.CRLF terminates; LF-based look-alikes are content (no SMTP smuggling).
        SmtpInput in = input("a\n.\nb\r\n.\nc\n.\r\nd\r\n.\r\n");
        MessageBuffer buffer = new MessageBuffer(1000);
        assertThat(in.readData(buffer, 1000)).isEqualTo(DataResult.COMPLETE);
        assertThat(body(buffer)).isEqualTo("a\n.\nb\r\n\nc\n.\r\nd\r\n");
    }

    @Test
    void bareCrAndDotCrAreContent() {
        SmtpInput in = input("x\ry\r\n.\rz\r\n.\r\r\n.\r\n");
        MessageBuffer buffer = new MessageBuffer(1000);
        assertThat(in.readData(buffer, 1000)).isEqualTo(DataResult.COMPLETE);
        assertThat(body(buffer)).isEqualTo("x\ry\r\n\rz\r\n\r\r\n");
    }

    @Test
    void oversizeDataIsReadToTheTerminatorButNotStored() {
        SmtpInput in = input("0123456789\r\n0123456789\r\n.\r\nQUIT\r\n");
        MessageBuffer buffer = new MessageBuffer(15);
        assertThat(in.readData(buffer, 1000)).isEqualTo(DataResult.TOO_BIG);
        assertThat(buffer.toByteArray()).hasSize(15);
        assertThat(buffer.contentBytes()).isEqualTo(24);
        assertThat(line(in.readLine(512))).isEqualTo("QUIT");
    }

    @Test
    void longTextLinesUpToTheLimitAreKeptIntact() {
        String longLine = "y".repeat(5000);
        SmtpInput in = input(longLine + "\r\n.\r\n" + "z".repeat(5001) + "\r\n.\r\nQUIT\r\n");
        MessageBuffer ok = new MessageBuffer(100_000);
        assertThat(in.readData(ok, 5000)).isEqualTo(DataResult.COMPLETE);
        assertThat(body(ok)).isEqualTo(longLine + "\r\n");
        assertThat(in.readData(new MessageBuffer(100_000), 5000)).isEqualTo(DataResult.LINE_TOO_LONG);
        assertThat(line(in.readLine(512))).isEqualTo("QUIT");
    }

    @Test
    void endOfStreamInsideData() {
        assertThat(input("half a message\r\n.").readData(new MessageBuffer(100), 1000))
                .isEqualTo(DataResult.END_OF_STREAM);
    }

    @Test
    void chunksAreCopiedVerbatim() {
        byte[] wire = new byte[300];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = (byte) i;
        }
        SmtpInput in = input(wire);
        MessageBuffer buffer = new MessageBuffer(1000);
        assertThat(in.readChunk(100, buffer)).isTrue();
        assertThat(in.skip(50)).isTrue();
        assertThat(in.readChunk(150, buffer)).isTrue();
        byte[] got = buffer.toByteArray();
        assertThat(got).hasSize(250);
        assertThat(got[99]).isEqualTo((byte) 99);
        assertThat(got[100]).isEqualTo((byte) 150);
        assertThat(in.readChunk(1, buffer)).isFalse();
    }

    @Test
    void repliesAreFlushedBeforeEveryBlockingRead() {
        AtomicInteger flushes = new AtomicInteger();
        InputStream oneByteAtATime = new ByteArrayInputStream("A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        SmtpInput in = new SmtpInput(oneByteAtATime, flushes::incrementAndGet);
        line(in.readLine(512));
        assertThat(flushes.get()).isEqualTo(1);
        line(in.readLine(512));
        assertThat(flushes.get()).isEqualTo(2);
    }

    @Test
    void discardBufferedDropsPipelinedBytes() {
        SmtpInput in = input("STARTTLS\r\nMAIL FROM:<evil@x>\r\n");
        assertThat(line(in.readLine(512))).isEqualTo("STARTTLS");
        assertThat(in.discardBuffered()).isEqualTo("MAIL FROM:<evil@x>\r\n".length());
        assertThat(in.readLine(512)).isInstanceOf(InputLine.EndOfStream.class);
    }

    @Test
    void messageBufferKeepsHeaderOutsideTheLimit() {
        MessageBuffer buffer = new MessageBuffer(4);
        buffer.writeHeader("H: v\r\n".getBytes(StandardCharsets.US_ASCII));
        buffer.write("abcd".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertThat(buffer.overflowed()).isFalse();
        buffer.write('e');
        assertThat(buffer.overflowed()).isTrue();
        assertThat(body(buffer)).isEqualTo("H: v\r\nabcd");
    }
}
