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
}
