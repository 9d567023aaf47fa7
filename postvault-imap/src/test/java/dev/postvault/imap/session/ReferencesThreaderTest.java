package dev.postvault.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReferencesThreaderTest {
    private static ReferencesThreader.Msg msg(int n, String id, List<String> refs, String subject, boolean reply, String date) {
        return new ReferencesThreader.Msg(n, n, id, refs, subject, reply, Instant.parse(date));
    }

    /**
     * Subject gathering prefers a dummy as the thread's root, which may stand later in the root set
     * than a message it gathers; the thread then takes its place by its first child (RFC 5256,
     * REFERENCES step 6), as Dovecot orders it.
     */
    @Test
    void aThreadGatheredUnderADummyIsPlacedByItsFirstChild() {
        var msgs = List.of(
                msg(1, "a@x", List.of(), "HOLIDAY SCHEDULE", false, "2019-01-01T10:00:00Z"),
                msg(2, "b@x", List.of(), "BUDGET", false, "2020-01-01T10:00:00Z"),
                // Two replies to a message this folder does not hold: a dummy root with two children.
                msg(3, "c@x", List.of("gone@x"), "HOLIDAY SCHEDULE", true, "2021-01-01T10:00:00Z"),
                msg(4, "d@x", List.of("gone@x"), "HOLIDAY SCHEDULE", true, "2022-01-01T10:00:00Z"));
        assertThat(ReferencesThreader.render(ReferencesThreader.thread(msgs))).isEqualTo("((1)(3)(4))(2)");
    }

    /** A thread under a message (not a dummy) is placed by that message's own date (RFC 5256, step 6). */
    @Test
    void aThreadUnderAMessageIsPlacedByThatMessage() {
        var msgs = List.of(
                msg(1, "a@x", List.of(), "HOLIDAY SCHEDULE", true, "2019-01-01T10:00:00Z"),   // "Re: ...", the earliest
                msg(2, "b@x", List.of(), "BUDGET", false, "2020-01-01T10:00:00Z"),
                msg(3, "c@x", List.of(), "HOLIDAY SCHEDULE", false, "2021-01-01T10:00:00Z")); // the original, later
        assertThat(ReferencesThreader.render(ReferencesThreader.thread(msgs))).isEqualTo("(2)(3 1)");
    }
}
