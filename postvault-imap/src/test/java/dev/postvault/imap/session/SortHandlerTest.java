package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.imap.ImapClient;
import dev.postvault.imap.ImapHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SortHandlerTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Re: hello|hello",
        "RE: Re: re:hello|hello",
        "Fwd: [list] Re: hello (fwd)|hello",
        "[list] hello|hello",
        "[only a blob]|[only a blob]",
        "[fwd: wrapped subject]|wrapped subject",
        "Re[2]: counted|counted",
        "  spaced \t  out  |spaced out",
        "hello (fwd) (FWD)|hello"})
    void baseSubjectFollowsRfc5256(String subject, String base) {
        assertThat(dev.postvault.mime.SortKeys.baseSubject(subject)).isEqualTo(base);
    }

    @Test
    void sortsBySubjectThenSequenceAndReverses(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            for (String s : new String[] {"b", "Re: a", "c", "a"}) {
                h.append("INBOX", ("Subject: " + s + "\r\nFrom: x@y.z\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            try (ImapClient c = h.login()) {
                c.command("SELECT INBOX");
                assertThat(c.command("SORT (SUBJECT) UTF-8 ALL")).containsExactly("* SORT 2 4 1 3", "t3 OK SORT completed");
                assertThat(c.command("SORT (REVERSE SUBJECT) UTF-8 ALL").getFirst()).isEqualTo("* SORT 3 1 2 4");
                assertThat(c.command("UID SORT (SIZE SUBJECT) UTF-8 NOT SUBJECT c").getFirst()).isEqualTo("* SORT 4 1 2"); // 1 and 4 tie on size; "a" < "b"
            }
        }
    }

    @Test
    void orderedSubjectThreadsGroupByBaseSubjectUnderTheEarliest(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            String[][] mails = {{"lunch", "Mon, 2 Mar 2026 10:00:00 +0000"}, {"Re: lunch", "Mon, 2 Mar 2026 11:00:00 +0000"},
                {"report", "Sun, 1 Mar 2026 09:00:00 +0000"}, {"Re: lunch", "Mon, 2 Mar 2026 12:00:00 +0000"},
                {"Fwd: report", "Tue, 3 Mar 2026 09:00:00 +0000"}};
            for (String[] m : mails) {
                h.append("INBOX", ("Subject: " + m[0] + "\r\nDate: " + m[1] + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            try (ImapClient c = h.login()) {
                c.command("SELECT INBOX");
                assertThat(c.command("THREAD ORDEREDSUBJECT UTF-8 ALL")).containsExactly("* THREAD (3 5)(1 (2)(4))", "t3 OK THREAD completed");
                assertThat(c.command("THREAD X-UNKNOWN UTF-8 ALL").getLast()).startsWith("t4 BAD");
            }
        }
    }

    @Test
    void referencesThreadsFollowMessageIdsAndMergeBySubject(@TempDir Path dir) throws Exception {
        try (ImapHarness h = new ImapHarness(dir, false)) {
            String[] mails = {
                "Message-ID: <a@x>\r\nSubject: plan\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000",
                "Message-ID: <b@x>\r\nIn-Reply-To: <a@x>\r\nSubject: Re: plan\r\nDate: Mon, 2 Mar 2026 11:00:00 +0000",
                "Message-ID: <c@x>\r\nSubject: other\r\nDate: Sun, 1 Mar 2026 10:00:00 +0000",
                "Message-ID: <d@x>\r\nReferences: <a@x> <b@x>\r\nSubject: Re: plan\r\nDate: Mon, 2 Mar 2026 12:00:00 +0000",
                "Message-ID: <e@x>\r\nReferences: <a@x>\r\nSubject: Re: plan\r\nDate: Mon, 2 Mar 2026 10:30:00 +0000",
                "Message-ID: <f@x>\r\nReferences: <missing@x>\r\nSubject: Re: other\r\nDate: Tue, 3 Mar 2026 10:00:00 +0000"};
            for (String m : mails) h.append("INBOX", (m + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII));
            try (ImapClient c = h.login()) {
                c.command("SELECT INBOX");
                // 3 and 6 share a base subject: the reply goes under the original (RFC 5256 step 6).
                assertThat(c.command("THREAD REFERENCES UTF-8 ALL")).containsExactly("* THREAD (3 6)(1 (5)(2 4))", "t3 OK THREAD completed");
            }
        }
    }
}
