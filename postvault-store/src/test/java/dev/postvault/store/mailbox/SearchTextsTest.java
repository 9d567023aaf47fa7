package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A check on the folded bytes answers as the case-insensitive string search it replaces. */
class SearchTextsTest {
    private static final String[] TEXTS = {
        "Møde om ÆRØ-færgen på fredag", "Groß STRASSE", "İstanbul ıi", "Ελληνικά ΣΟΦΙΑ σοφία", "emoji 😀 Smile", "plain ascii Deadline",
    };
    private static final String[] NEEDLES = {
        "ærø", "ÆRØ", "færgen på", "groß", "strasse", "i̇stanbul", "İstanbul", "ıi", "σοφία", "ΣΟΦΙΑ", "😀 s", "deadline", "dead line", "ø", "",
    };

    @Test
    void foldedByteSearchAgreesWithLowerCasedStringSearch() {
        for (String text : TEXTS) {
            var t = new SearchTexts(SearchTexts.fold(text), SearchTexts.fold(text));
            for (String needle : NEEDLES) {
                boolean expected = text.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
                assertThat(t.bodyContains(SearchTexts.fold(needle))).as("%s in %s", needle, text).isEqualTo(expected);
                assertThat(t.headerContains(SearchTexts.fold(needle))).as("%s in %s", needle, text).isEqualTo(expected);
            }
        }
    }

    @Test
    void aMatchNeverStartsInsideACharacter() {
        // "é" is C3 A9 in UTF-8; "©" is C2 A9: a byte search for the tail byte alone must not match.
        var t = new SearchTexts(new byte[0], SearchTexts.fold("café"));
        assertThat(t.bodyContains(SearchTexts.fold("©"))).isFalse();
        assertThat(t.bodyContains(SearchTexts.fold("É"))).isTrue();
    }

    /**
     * fold lowers and encodes in one pass; it must give exactly what lowering with
     * {@code toLowerCase(Locale.ROOT)} and encoding as UTF-8 gives, since needles and texts must fold
     * alike. Random strings mixing ASCII, Latin-1, Greek (capital sigma in every position), Turkish
     * dotted I, Cyrillic, CJK, letters whose lowercase form is elsewhere (Kelvin sign, ohm sign,
     * capital sharp s), supplementary letters (Deseret) and unpaired surrogates.
     */
    @Test
    void foldAgreesWithLoweringThenEncoding() {
        String pool = "aZ09 -_@.\tÄÖÜßÉÀçñÆØ\u00b5ΑΒΓΣσςΩάΐİıIiЖжЯя中文字\u212a\u2126\u1e9e\u0130";
        String[] supplementary = {"\ud801\udc00", "\ud801\udc28", "\ud83d\ude00"};
        java.util.Random r = new java.util.Random(11);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(40);
            for (int k = 0; k < len; k++) {
                int pick = r.nextInt(100);
                if (pick < 3) b.append(supplementary[r.nextInt(supplementary.length)]);
                else if (pick < 4) b.append(r.nextBoolean() ? '\ud801' : '\udc00');
                else if (pick < 40) b.append((char) ('A' + r.nextInt(26)));
                else b.append(pool.charAt(r.nextInt(pool.length())));
            }
            String text = b.toString();
            assertThat(SearchTexts.fold(text)).as("%s", text).isEqualTo(text.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String big = "Ünïcödé ".repeat(100_000);
        assertThat(SearchTexts.fold(big)).isEqualTo(big.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
