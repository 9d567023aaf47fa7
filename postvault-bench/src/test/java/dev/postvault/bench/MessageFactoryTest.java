package dev.postvault.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.mime.MessageStructure;
import dev.postvault.mime.MessageText;
import dev.postvault.mime.MimeParser;
import dev.postvault.mime.MimePart;
import dev.postvault.mime.TransferEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {
    private static final Instant DATE = Instant.parse("2025-11-01T00:00:00Z");
    private final MessageFactory factory = new MessageFactory(7);

    @Test
    void textMessagesOfEveryShapeAreAbout20KbParseAndCarryText() {
        for (int seq = 0; seq < 6; seq++) {
            byte[] raw = factory.textMessage(seq, "to@bench.test", DATE, 20 * 1024);
            assertThat(raw.length).as("size of message %d", seq).isBetween(20 * 1024, 20 * 1024 + 1500);
            MessageStructure s = MimeParser.parse(raw);
            assertThat(s.root().contentType().type()).isIn("text", "multipart");
            assertThat(MessageText.extract(raw, s, 1_000_000)).contains("Hello,").hasSizeGreaterThan(5000);
            String text = new String(raw, StandardCharsets.UTF_8);
            assertThat(text).contains("X-Bench-Seq: " + seq + "\r\n");
            assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        }
    }

    @Test
    void quotedPrintableLinesStayWithin76Characters() {
        String encoded = new String(MessageFactory.quotedPrintable("größer änderung ".repeat(40) + "\r\nend \r\n"), StandardCharsets.US_ASCII);
        for (String line : encoded.split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(76);
        assertThat(encoded).contains("gr=C3=B6=C3=9Fer").contains("end=20");
    }

    @Test
    void sameSeedAndSequenceGiveTheSameBytesOtherSequencesDiffer() {
        byte[] a = factory.textMessage(3, "to@bench.test", DATE, 20 * 1024);
        assertThat(new MessageFactory(7).textMessage(3, "to@bench.test", DATE, 20 * 1024)).isEqualTo(a);
        assertThat(factory.textMessage(4, "to@bench.test", DATE, 20 * 1024)).isNotEqualTo(a);
    }

    @Test
    void attachmentComesBackFromItsBase64PartAndLinesAre76Characters() {
        byte[] data = factory.randomBytes(10_000);
        byte[] b64 = MessageFactory.base64Lines(data);
        String[] lines = new String(b64, StandardCharsets.US_ASCII).split("\r\n");
        for (int i = 0; i < lines.length - 1; i++) assertThat(lines[i]).hasSize(76);
        assertThat(lines[lines.length - 1].length()).isBetween(1, 76);

        byte[] raw = factory.attachmentMessage(1, "to@bench.test", DATE, b64, MessageFactory.Shape.SIGNED_LETTER);
        MessageStructure s = MimeParser.parse(raw);
        MimePart attachment = s.root().children().get(1);
        assertThat(attachment.contentTransferEncoding()).isEqualTo("base64");
        assertThat(TransferEncoding.decode(raw, attachment)).isEqualTo(data);
        byte[] other = factory.attachmentMessage(2, "to@bench.test", DATE, b64, MessageFactory.Shape.SIGNED_LETTER);
        assertThat(Arrays.equals(raw, other)).isFalse();
    }
}
