package dev.postvault.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadKeysTest {
    private static ThreadKeys keys(String header) {
        byte[] raw = (header + "\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        MessageStructure s = MimeParser.parse(raw);
        return ThreadKeys.of(java.util.Arrays.copyOf(raw, s.root().headerEnd()), s.envelope());
    }

    @Test
    void referencesComeInOrderAndInReplyToOnlyWithoutThem() {
        ThreadKeys k = keys("Message-ID: <c@x>\r\nReferences: <a@x>\r\n <b@x>\r\nIn-Reply-To: <z@x>\r\nSubject: Re: [list] plan\r\n");
        assertThat(k.messageId()).isEqualTo("c@x");
        assertThat(k.references()).containsExactly("a@x", "b@x");
        assertThat(k.reply()).isTrue();
        ThreadKeys r = keys("Message-ID: <d@x>\r\nIn-Reply-To: <c@x> <other@x>\r\nSubject: plan\r\n");
        assertThat(r.references()).containsExactly("c@x");
        assertThat(r.reply()).isFalse();
        ThreadKeys none = keys("Subject: hello\r\n");
        assertThat(none.messageId()).isEmpty();
        assertThat(none.references()).isEqualTo(List.of());
    }
}
