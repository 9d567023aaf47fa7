package dev.postvault.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded, bounded fuzzing: the parser is total, and DATA framing round-trips any content. */
class CodecFuzzTest {

    private static final long SEED = 0x5eed_5317L;
    private static final long BUDGET_NANOS = 1_000_000_000L; // per test: both together stay under 3 s

    private static final String[] FRAGMENTS = {
        "MAIL", "RCPT", "EHLO", "HELO", "BDAT", "DATA", "STARTTLS", "FROM:", "TO:", "<", ">", "<>", "@", ".", ",",
        ":", "\"", "\\", "[", "]", "IPv6:", "::1", "192.0.2.1", " ", "  ", "=", "SIZE=", "BODY=8BITMIME", "SMTPUTF8",
        "LAST", "example.com", "a", "-", "_", "ö", "\u0000", "\t", "\r", "\uFFFF", "\uD800", "12345678901234567890",
    };

    @Test
    void parserNeverThrowsOnRandomLines() {
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int parsed = 0;
        int iterations = 0;
        while (iterations < 300_000 && System.nanoTime() < deadline) {
            iterations++;
            ParseResult result = random.nextInt(4) == 0
                    ? CommandParser.parse(randomBytes(random))
                    : CommandParser.parse(randomLine(random));
            assertThat(result).isNotNull();
            if (result instanceof ParseResult.Parsed p) {
                parsed++;
                assertThat(p.command().verb()).isNotNull();
                if (p.command() instanceof SmtpCommand.RcptTo rcpt) {
                    assertThat(rcpt.recipient().address()).doesNotContain("\r", "\n", "<", ">");
                }
            } else if (result instanceof ParseResult.Invalid invalid) {
                assertThat(invalid.error().reply().code()).isBetween(500, 555);
            }
        }
        assertThat(iterations).isGreaterThan(10_000);
        assertThat(parsed).as("the generator must also hit valid commands").isGreaterThan(0);
    }

    @Test
    void dataFramingRoundTripsArbitraryContent() {
        Random random = new Random(SEED + 1);
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int iterations = 0;
        while (iterations < 20_000 && System.nanoTime() < deadline) {
            iterations++;
            String content = randomContent(random);
            byte[] wire = (stuff(content) + ".\r\nNEXT\r\n").getBytes(StandardCharsets.ISO_8859_1);
            SmtpInput in = new SmtpInput(new ByteArrayInputStream(wire), () -> {});
            MessageBuffer buffer = new MessageBuffer(1 << 20);
            assertThat(in.readData(buffer, 1 << 20)).isEqualTo(DataResult.COMPLETE);
            assertThat(new String(buffer.toByteArray(), StandardCharsets.ISO_8859_1)).isEqualTo(content);
            InputLine next = in.readLine(512);
            assertThat(next).isInstanceOf(InputLine.Complete.class);
            assertThat(new String(((InputLine.Complete) next).bytes(), StandardCharsets.US_ASCII)).isEqualTo("NEXT");
        }
        assertThat(iterations).isGreaterThan(1_000);
    }

    /** What a conforming client does (RFC 5321 §4.5.2): CRLF-terminate, then double leading dots. */
    private static String stuff(String content) {
        StringBuilder out = new StringBuilder();
        for (String line : content.split("\r\n", -1)) {
            out.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        // content always ends in CRLF, so split leaves one empty trailing element: drop its CRLF
        out.setLength(out.length() - 2);
        return out.toString();
    }

    private static String randomContent(Random random) {
        StringBuilder out = new StringBuilder();
        int lines = random.nextInt(8);
        for (int i = 0; i < lines; i++) {
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                int pick = random.nextInt(10);
                out.append(switch (pick) {
                    case 0 -> '.';
                    case 1 -> '\r';
                    case 2 -> '\n';
                    case 3 -> (char) (0x80 + random.nextInt(0x80));
                    default -> (char) ('a' + random.nextInt(26));
                });
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static String randomLine(Random random) {
        StringBuilder line = new StringBuilder();
        int parts = random.nextInt(10);
        for (int i = 0; i < parts; i++) {
            line.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        return line.toString();
    }

    private static byte[] randomBytes(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = random.nextInt(80);
        for (int i = 0; i < length; i++) {
            out.write(random.nextInt(256));
        }
        return out.toByteArray();
    }
}
