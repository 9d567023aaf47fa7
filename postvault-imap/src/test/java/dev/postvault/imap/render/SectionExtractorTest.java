package dev.postvault.imap.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SectionExtractorTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerFieldsKeepsTheNamedFieldsInOrderWithTheirContinuations() {
        byte[] header = bytes("Received: from a\r\n\tby b\r\nSUBJECT: hi\r\n  there\r\nfrom : x@y\r\nX-Other: 1\r\nbroken line\r\n\r\n");
        var wanted = SectionExtractor.fieldSet(List.of("From", "Subject", "subject"));
        assertThat(new String(SectionExtractor.headerFields(header, wanted, false), StandardCharsets.ISO_8859_1))
                .isEqualTo("SUBJECT: hi\r\n  there\r\nfrom : x@y\r\n\r\n");
        assertThat(new String(SectionExtractor.headerFields(header, wanted, true), StandardCharsets.ISO_8859_1))
                .as("NOT: every other field; a line without a colon is no field").isEqualTo("Received: from a\r\n\tby b\r\nX-Other: 1\r\n\r\n");
        assertThat(SectionExtractor.headerFields(bytes("\r\n"), wanted, false)).isEqualTo(bytes("\r\n"));
    }

    /** The matcher against the plain reading: each name decoded as ISO-8859-1, stripped, lowered. */
    @Test
    void matchesAsLowerCasedStrippedLatin1NamesOnRandomHeaders() {
        Random r = new Random(12);
        String[] pool = {"subject", "from", "to", "cc", "message-id", "x-\u00c4rger", "date", "references", "in-reply-to", "x"};
        for (int round = 0; round < 2000; round++) {
            StringBuilder h = new StringBuilder();
            int fields = r.nextInt(12);
            for (int i = 0; i < fields; i++) {
                String name = randomCase(r, pool[r.nextInt(pool.length)]);
                if (r.nextInt(5) == 0) name = name + " ";
                if (r.nextInt(7) == 0) name = "\t" + name;
                h.append(name).append(r.nextInt(9) == 0 ? "" : ":").append(" v").append(i).append("\r\n");
                if (r.nextInt(4) == 0) h.append(" cont\r\n");
            }
            h.append("\r\n");
            List<String> names = new ArrayList<>();
            for (int i = r.nextInt(4); i >= 0; i--) names.add(randomCase(r, pool[r.nextInt(pool.length)]));
            boolean not = r.nextBoolean();
            byte[] header = bytes(h.toString());
            assertThat(SectionExtractor.headerFields(header, SectionExtractor.fieldSet(names), not)).as("%s %s %s", h, names, not)
                    .isEqualTo(reference(header, names, not));
        }
    }

    private static String randomCase(Random r, String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
        return b.toString();
    }

    private static byte[] reference(byte[] raw, List<String> names, boolean not) {
        var wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        var out = new ByteArrayOutputStream();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < text.length()) {
            int end = text.indexOf('\n', i) + 1;
            if (end - i <= 2 && text.substring(i, end).isBlank()) break;
            int fieldEnd = end;
            while (fieldEnd < text.length() && (text.charAt(fieldEnd) == ' ' || text.charAt(fieldEnd) == '\t')) fieldEnd = text.indexOf('\n', fieldEnd) + 1;
            String field = text.substring(i, fieldEnd);
            int colon = field.indexOf(':');
            if (colon >= 0 && wanted.contains(field.substring(0, colon).strip().toLowerCase(Locale.ROOT)) != not) {
                out.writeBytes(bytes(field));
            }
            i = fieldEnd;
        }
        out.writeBytes(bytes("\r\n"));
        return out.toByteArray();
    }
}
