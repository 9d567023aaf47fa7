package dev.postvault.imap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class ImapDatesTest {

    @Test
    void dates() { // RFC 9051 §9 date-text
        assertThat(ImapDates.parseDate("1-Feb-1994")).contains(LocalDate.of(1994, 2, 1));
        assertThat(ImapDates.parseDate("01-feb-1994")).contains(LocalDate.of(1994, 2, 1));
        assertThat(ImapDates.parseDate("31-Dec-2099")).contains(LocalDate.of(2099, 12, 31));
        assertThat(ImapDates.parseDate("29-Feb-2023")).isEmpty();
        assertThat(ImapDates.parseDate("1-Foo-1994")).isEmpty();
        assertThat(ImapDates.parseDate("1-Feb-94")).isEmpty();
        assertThat(ImapDates.parseDate("100-Feb-1994")).isEmpty();
        assertThat(ImapDates.formatDate(LocalDate.of(1994, 2, 1))).isEqualTo("1-Feb-1994");
    }

    @Test
    void dateTimes() { // RFC 9051 §9 date-time
        assertThat(ImapDates.parseDateTime("17-Jul-1996 02:44:25 -0700"))
                .contains(OffsetDateTime.parse("1996-07-17T02:44:25-07:00"));
        assertThat(ImapDates.parseDateTime(" 7-Feb-1994 21:52:25 +0530"))
                .contains(OffsetDateTime.parse("1994-02-07T21:52:25+05:30"));
        assertThat(ImapDates.parseDateTime("7-Feb-1994 21:52:25 -0800")).isEmpty();
        assertThat(ImapDates.parseDateTime("07-Feb-1994 24:00:00 -0800")).isEmpty();
        assertThat(ImapDates.parseDateTime("07-Feb-1994 21:52:25 0800")).isEmpty();
        assertThat(ImapDates.parseDateTime("07-Feb-1994 21:52:25 +0860")).isEmpty();
        assertThat(ImapDates.formatDateTime(OffsetDateTime.parse("1994-02-07T21:52:25-08:00")))
                .isEqualTo("07-Feb-1994 21:52:25 -0800");
        assertThat(ImapDates.formatDateTime(OffsetDateTime.parse("2024-12-31T00:00:00+05:45")))
                .isEqualTo("31-Dec-2024 00:00:00 +0545");
    }
}
