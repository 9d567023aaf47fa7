package dev.postvault.smtp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

    @Test
    void singleLineWithEnhancedCode() {
        assertThat(SmtpReply.of(550, "5.1.1", "Mailbox unavailable").format())
                .isEqualTo("550 5.1.1 Mailbox unavailable\r\n");
    }

    @Test
    void multiLineRepliesUseHyphenOnAllButTheLastLineAndRepeatTheEnhancedCode() {
        SmtpReply reply = SmtpReply.of(214, "2.0.0", "first", "second", "third");
        assertThat(reply.format()).isEqualTo("214-2.0.0 first\r\n214-2.0.0 second\r\n214 2.0.0 third\r\n");
        assertThat(SmtpReply.plain(250, "mx.test", "PIPELINING", "SIZE 10").format())
                .isEqualTo("250-mx.test\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
    }

    @Test
    void textCannotInjectLines() {
        SmtpReply reply = SmtpReply.of(250, "2.0.0", "ok\r\n250 forged");
        assertThat(reply.format()).isEqualTo("250 2.0.0 ok??250 forged\r\n");
        assertThat(SmtpReply.plain(220, "héllo").format()).isEqualTo("220 h?llo\r\n");
    }

    @Test
    void emptyTextIsAllowed() {
        assertThat(SmtpReply.of(250, "2.0.0", "").format()).isEqualTo("250 2.0.0\r\n");
        assertThat(SmtpReply.plain(250, "").format()).isEqualTo("250 \r\n");
    }

    @Test
    void classesMustAgree() {
        assertThatThrownBy(() -> SmtpReply.of(550, "4.1.1", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpReply.plain(199, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpReply(250, Optional.empty(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnhancedStatusCode.parse("5.1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SmtpReply.of(451, "4.3.0", "x").isTransientFailure()).isTrue();
        assertThat(SmtpReply.of(552, "5.3.4", "x").isPermanentFailure()).isTrue();
    }
}
