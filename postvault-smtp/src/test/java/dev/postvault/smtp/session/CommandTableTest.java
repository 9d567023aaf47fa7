package dev.postvault.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.smtp.codec.Verb;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CommandTableTest {

    @Test
    void everyVerbHasARuleCitingItsRfc() {
        for (Verb verb : Verb.values()) {
            assertThat(CommandTable.rule(verb).verb()).isEqualTo(verb);
            assertThat(CommandTable.rule(verb).rfc()).startsWith("RFC ");
        }
    }

    @Test
    void sequencing() {
        assertThat(CommandTable.rule(Verb.MAIL).permits(SessionState.GREETED, false)).isFalse();
        assertThat(CommandTable.rule(Verb.MAIL).permits(SessionState.READY, false)).isTrue();
        assertThat(CommandTable.rule(Verb.MAIL).permits(SessionState.MAIL, true)).isFalse();
        assertThat(CommandTable.rule(Verb.RCPT).permits(SessionState.READY, true)).isFalse();
        assertThat(CommandTable.rule(Verb.DATA).permits(SessionState.MAIL, true)).isFalse();
        assertThat(CommandTable.rule(Verb.DATA).permits(SessionState.RCPT, false)).isTrue();
        assertThat(CommandTable.rule(Verb.DATA).permits(SessionState.BDAT, true)).isFalse();
        assertThat(CommandTable.rule(Verb.BDAT).permits(SessionState.RCPT, false)).as("needs EHLO").isFalse();
        assertThat(CommandTable.rule(Verb.BDAT).permits(SessionState.BDAT, true)).isTrue();
        assertThat(CommandTable.rule(Verb.STARTTLS).permits(SessionState.MAIL, true)).isFalse();
        assertThat(Arrays.stream(SessionState.values()).allMatch(s -> CommandTable.rule(Verb.RSET).permits(s, false)))
                .isTrue();
    }

    @Test
    void rejectionMappingCoversEveryKind() {
        assertThat(Replies.rejection(RejectionKind.UNKNOWN_RECIPIENT).format()).startsWith("550 5.1.1 ");
        assertThat(Replies.rejection(RejectionKind.RELAY_DENIED).format()).startsWith("550 5.7.1 ");
        assertThat(Replies.rejection(RejectionKind.TEMPORARY).format()).startsWith("451 4.3.0 ");
        assertThat(Replies.rejection(RejectionKind.SYSTEM_FULL).format()).startsWith("452 4.3.1 "); // RFC 5321 §4.2.3
        assertThat(Replies.rejection(RejectionKind.TOO_BIG).format()).startsWith("552 5.3.4 ");
        assertThat(Replies.rejection(RejectionKind.MAILBOX_FULL).format()).startsWith("452 4.2.2 ");
        assertThat(Replies.rejection(RejectionKind.REJECTED).format()).startsWith("550 5.7.0 ");
    }
}
