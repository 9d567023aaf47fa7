package dev.postvault.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MboxTest {
    private static List<Mbox.Entry> read(String mbox, long max) throws IOException {
        List<Mbox.Entry> out = new ArrayList<>();
        try (var m = new Mbox(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.UTF_8)), max)) {
            for (Optional<Mbox.Entry> e = m.next(); e.isPresent(); e = m.next()) out.add(e.get());
        }
        return out;
    }

    private static String raw(Mbox.Entry e) {
        return new String(((Mbox.Entry.Message) e).raw(), StandardCharsets.UTF_8);
    }

    @Test
    void splitsAtFromLinesAfterBlankLinesAndUnescapes() throws IOException {
        String mbox = "From alice@example.org Sun Nov 22 10:00:00 2026\n"
                + "Subject: one\n\nbody\nFrom here, not a separator\n>From escaped\n>>From twice\n\n"
                + "From MAILER-DAEMON Mon Jan  5 01:02:03 2026\n"
                + "Subject: two\n\n\nafter an empty line\n\n";
        var entries = read(mbox, 1 << 20);
        assertThat(entries).hasSize(2);
        assertThat(raw(entries.get(0))).isEqualTo("Subject: one\r\n\r\nbody\r\nFrom here, not a separator\r\nFrom escaped\r\n>From twice\r\n");
        assertThat(raw(entries.get(1))).isEqualTo("Subject: two\r\n\r\n\r\nafter an empty line\r\n");
        assertThat(((Mbox.Entry.Message) entries.get(0)).envelopeDate()).contains(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(((Mbox.Entry.Message) entries.get(1)).envelopeDate()).contains(Instant.parse("2026-01-05T01:02:03Z"));
    }

    @Test
    void oversizedMessagesAreReportedAndSkipped() throws IOException {
        String mbox = "From a Sun Nov 22 10:00:00 2026\nSubject: big\n\n" + "x".repeat(5000) + "\n\nFrom b Sun Nov 22 10:00:00 2026\nSubject: small\n\nok\n";
        var entries = read(mbox, 1000);
        assertThat(entries.get(0)).isInstanceOf(Mbox.Entry.Oversized.class);
        assertThat(raw(entries.get(1))).isEqualTo("Subject: small\r\n\r\nok\r\n");
    }

    @Test
    void emptyAndForeignFiles() throws IOException {
        assertThat(read("", 1000)).isEmpty();
        assertThatThrownBy(() -> read("Subject: not mbox\n\nbody\n", 1000)).isInstanceOf(IOException.class).hasMessageContaining("not an mbox file");
    }
}
