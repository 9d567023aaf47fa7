package dev.postvault.mime;

import static dev.postvault.mime.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded fuzzing of the parser and the structure codec. */
class RobustnessTest {

    private static final String[] TOKENS = {
        "\r\n", "\n", "\r", "\r\n\r\n", "\n\n", "--", ":", " ", "\t", "\0", "\"", "<", ">", "(", ")", ";", "=?utf-8?q?",
        "--b1\r\n", "--b1--", "--XYZ\r\n", "--XYZ--\r\n", "--outer\r\n", "--inner--", "--z\r\n", "--z--\r\n",
        "Content-Type: multipart/mixed; boundary=z\r\n", "Content-Type: message/rfc822\r\n\r\n",
        "Content-Type: multipart/digest; boundary=\"b1\"\r\n\r\n", "Content-Type: text/plain; charset*0*=utf-8''%C3;\r\n",
        "From: \"x\" <a@b>, g: c@d;\r\n", "Content-Transfer-Encoding: base64\r\n", "\u00ff\u00fe",
    };

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String m : Fixtures.all()) seeds.add(bytes(m));
        seeds.add(bytes(PartNumberingTest.EXAMPLE));
        seeds.add(("Subject: J\u00f6rg \u65e5\u672c\r\nFrom: J\u00f6rg <j@b\u00fccher.example>\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed;
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops; k++) {
            int pos = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            switch (r.nextInt(10)) {
                case 0, 1 -> { // flip a byte
                    if (b.length > 0) {
                        b = b.clone();
                        b[Math.min(pos, b.length - 1)] = (byte) r.nextInt(256);
                    }
                }
                case 2, 3, 4 -> b = splice(b, pos, pos, bytes(TOKENS[r.nextInt(TOKENS.length)]));
                case 5, 6 -> b = splice(b, pos, Math.min(b.length, pos + r.nextInt(40)), new byte[0]); // delete
                case 7 -> b = Arrays.copyOf(b, pos); // truncate
                case 8 -> { // duplicate a slice elsewhere
                    int from = r.nextInt(b.length + 1);
                    int to = Math.min(b.length, from + r.nextInt(200));
                    b = splice(b, pos, pos, Arrays.copyOfRange(b, from, to));
                }
                default -> { // random garbage
                    byte[] junk = new byte[r.nextInt(20)];
                    r.nextBytes(junk);
                    b = splice(b, pos, pos, junk);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, from);
        out.writeBytes(insert);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }

    /** Independent line count: LF bytes plus a final unterminated line. */
    private static int lines(byte[] raw, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (raw[i] == '\n') n++;
        return to > from && raw[to - 1] != '\n' ? n + 1 : n;
    }

    /** Plain checks (no AssertJ objects) keep 10k iterations cheap; the message names the violation. */
    private static void require(boolean ok, String what, MimePart p) {
        if (!ok) throw new AssertionError(what + " violated by " + p);
    }

    private static void checkMessage(MessageStructure m, byte[] raw, int lo, int hi) {
        require(m.root().headerStart() == lo, "message starts at its range", m.root());
        require(m.root().bodyEnd() == hi, "message ends at its range", m.root());
        checkPart(m.root(), raw, lo, hi);
    }

    private static void checkPart(MimePart p, byte[] raw, int lo, int hi) {
        require(lo <= p.headerStart() && p.headerStart() <= p.headerEnd() && p.headerEnd() == p.bodyStart()
                && p.bodyStart() <= p.bodyEnd() && p.bodyEnd() <= hi, "ordered offsets within parent", p);
        require(p.bodyLines() == lines(raw, p.bodyStart(), p.bodyEnd()), "line count", p);
        int previousEnd = p.bodyStart();
        for (MimePart c : p.children()) {
            require(c.headerStart() >= previousEnd, "children ordered and disjoint", c);
            checkPart(c, raw, p.bodyStart(), p.bodyEnd());
            previousEnd = c.bodyEnd();
        }
        if (p.encapsulated().isPresent()) {
            require(p.children().isEmpty(), "message part has no children", p);
            checkMessage(p.encapsulated().get(), raw, p.bodyStart(), p.bodyEnd());
        }
    }

    @Test
    void mutatedMessagesNeverBreakTheParser() {
        List<byte[]> seeds = seeds();
        Random r = new Random(0x5EED);
        int[] structured = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 10_000; i++) {
                byte[] raw;
                if (i % 10 == 0) {
                    raw = new byte[r.nextInt(300)];
                    r.nextBytes(raw);
                } else {
                    raw = mutate(seeds.get(r.nextInt(seeds.size())), r);
                }
                MessageStructure s = MimeParser.parseUnguarded(raw, MimeParser.DEFAULT_MAX_DEPTH);
                checkMessage(s, raw, 0, raw.length);
                if (s.allParts().size() > 2) structured[0]++;
                if (!MessageStructureCodec.decode(MessageStructureCodec.encode(s)).equals(s)) {
                    throw new AssertionError("codec round trip differs for input #" + i);
                }
                if (i % 7 == 0) assertThat(MessageText.extract(raw, s, 500)).hasSizeLessThanOrEqualTo(500);
            }
        });
        // The mutations must keep most inputs structured, or the fuzz would only exercise the trivial path.
        assertThat(structured[0]).as("structured inputs").isGreaterThan(2_500);
    }

    @Test
    void pathologicalNestingStaysWithinTheLimit() {
        StringBuilder multipart = new StringBuilder();
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            multipart.append("Content-Type: multipart/mixed; boundary=").append(i).append("\r\n\r\n--").append(i).append("\r\n");
            messages.append("Content-Type: message/rfc822\r\n\r\n");
        }
        for (String m : List.of(multipart.toString(), messages.toString())) {
            byte[] raw = bytes(m);
            MessageStructure s = MimeParser.parseUnguarded(raw, MimeParser.DEFAULT_MAX_DEPTH);
            checkMessage(s, raw, 0, raw.length);
            assertThat(MessageStructureCodec.decode(MessageStructureCodec.encode(s))).isEqualTo(s);
            assertThat(MimeParser.parseUnguarded(raw, MimeParser.MAX_DEPTH_LIMIT).allParts().size())
                    .isGreaterThan(MimeParser.MAX_DEPTH_LIMIT);
        }
        assertThatThrownBy(() -> MimeParser.parse(new byte[0], MimeParser.MAX_DEPTH_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codecRoundTripsFixturesAndRejectsCorruptInput() {
        Random r = new Random(42);
        for (byte[] raw : seeds()) {
            MessageStructure s = MimeParser.parse(raw);
            byte[] enc = MessageStructureCodec.encode(s);
            assertThat(enc[0]).isEqualTo((byte) MessageStructureCodec.FORMAT_VERSION);
            assertThat(MessageStructureCodec.decode(enc)).isEqualTo(s);
            for (int cut = 0; cut < enc.length; cut += 1 + cut / 8) {
                byte[] truncated = Arrays.copyOf(enc, cut);
                assertThatThrownBy(() -> MessageStructureCodec.decode(truncated))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            byte[] longer = Arrays.copyOf(enc, enc.length + 1);
            assertThatThrownBy(() -> MessageStructureCodec.decode(longer)).isInstanceOf(IllegalArgumentException.class);
            for (int i = 0; i < 200; i++) { // random corruption: either decodes or fails with IAE
                byte[] bad = enc.clone();
                bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
                try {
                    MessageStructureCodec.decode(bad);
                } catch (IllegalArgumentException expected) {
                    // fine
                }
            }
        }
        byte[] wrongVersion = MessageStructureCodec.encode(MimeParser.parse(new byte[0]));
        wrongVersion[0] = 99;
        assertThatThrownBy(() -> MessageStructureCodec.decode(wrongVersion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
    }

    @Test
    void codecKeepsDistinctSenderAndOffsets() {
        byte[] raw = bytes(Fixtures.crlf("""
                From: a@example.com
                Sender: s@example.com
                Reply-To: G: r@example.com;
                Content-Type: multipart/mixed; boundary=q

                --q
                Content-Type: text/plain; name*0="a"; name*1="b"
                Content-Disposition: inline

                x
                --q--
                """));
        MessageStructure s = MimeParser.parse(raw);
        MessageStructure back = MessageStructureCodec.decode(MessageStructureCodec.encode(s));
        assertThat(back).isEqualTo(s);
        assertThat(back.envelope().sender()).isNotEqualTo(back.envelope().from());
        assertThat(back.root().children().getFirst().params()).containsEntry("name", "ab");
        assertThat(back.root().children().getFirst().headerStart()).isEqualTo(s.root().children().getFirst().headerStart());
    }
}
