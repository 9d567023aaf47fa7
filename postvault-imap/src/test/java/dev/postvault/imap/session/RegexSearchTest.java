package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEARCH X-REGEX: the seed's regular-expression search, bounded in time. */
class RegexSearchTest {
    private static void mail(ImapHarness h, String subject, String body) {
        h.append("INBOX", ("From: Billing <billing@shop.example>\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void regularExpressionsMatchHeadersAndBodyAndCombineWithOtherKeys(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            mail(h, "Invoice #2041", "Amount due: 120.00 EUR");
            mail(h, "Your order", "invoice number 77-3 attached");
            mail(h, "Lunch?", "See you at 12:30");
            try (ImapClient c = h.login()) {
                assertThat(c.command("CAPABILITY").getFirst()).contains(" X-POSTVAULT-REGEX");
                c.command("SELECT INBOX");
                assertThat(c.command("SEARCH X-REGEX \"Invoice #[0-9]{4}\"").getFirst()).isEqualTo("* SEARCH 1");
                assertThat(c.command("SEARCH X-REGEX \"(?i)invoice\"").getFirst()).isEqualTo("* SEARCH 1 2");
                assertThat(c.command("SEARCH X-REGEX \"[0-9]{2}:[0-9]{2}\"").getFirst()).isEqualTo("* SEARCH 3");
                assertThat(c.command("UID SEARCH OR X-REGEX \"EUR$\" SUBJECT lunch").getFirst()).isEqualTo("* SEARCH 1 3");
                assertThat(c.command("SEARCH NOT X-REGEX \"billing@shop\\\\.example\"").getFirst()).isEqualTo("* SEARCH");
                assertThat(ImapClient.last(c.command("SEARCH X-REGEX \"(unclosed\""))).contains("BAD Invalid regular expression");
                assertThat(ImapClient.last(c.command("SEARCH X-REGEX \"" + "a".repeat(1001) + "\""))).contains("BAD Regular expression longer than 1000");
            }
        }
    }

    @Test
    void aCatastrophicPatternIsStoppedAndTheSessionGoesOn(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            mail(h, "trap", "a".repeat(40) + "!");
            try (ImapClient c = h.login()) {
                c.command("SELECT INBOX");
                long start = System.nanoTime();
                // Exponential backtracking: without a bound this runs for longer than the universe has existed.
                String answer = ImapClient.last(c.command("SEARCH X-REGEX \"((a+)+)+b\""));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(answer).contains("NO [LIMIT] Regular expression search took longer than 2000 ms");
                assertThat(millis).as("stopped near its budget").isLessThan(10_000);
                assertThat(c.command("SEARCH X-REGEX \"a!$\"").getFirst()).isEqualTo("* SEARCH 1");
            }
        }
    }
}
