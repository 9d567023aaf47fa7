package dev.postvault.imap.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SequenceSetTest {

    private static SequenceSet parse(String set) {
        return ((ImapCommand.Fetch) Wire.command("a FETCH " + set + " UID\r\n")).sequenceSet();
    }

    @Test
    void membershipWithStar() { // RFC 9051 §9 sequence-set examples
        SequenceSet set = parse("2,4:7,9,12:*");
        assertThat(LongStream.rangeClosed(1, 15).filter(n -> set.contains(n, 15)).boxed().toList())
                .containsExactly(2L, 4L, 5L, 6L, 7L, 9L, 12L, 13L, 14L, 15L);
        SequenceSet reversed = parse("*:4,5:7");
        assertThat(LongStream.rangeClosed(1, 10).filter(n -> reversed.contains(n, 10)).boxed().toList())
                .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
        // "3291:*" includes the last UID even if it is smaller than 3291
        assertThat(parse("3291:*").contains(3000, 3000)).isTrue();
        assertThat(parse("3291:*").contains(2999, 3000)).isFalse();
    }

    @Test
    void normalizedMergesAndResolvesStar() {
        assertThat(parse("*:4,5:7,1").normalized(10))
                .containsExactly(SequenceSet.Range.of(1), new SequenceSet.Range(4, 10));
        assertThat(parse("*").normalized(0)).isEmpty();
        assertThat(parse("1:*").normalized(0)).containsExactly(SequenceSet.Range.of(1));
        assertThat(parse("5,3,4").wireForm()).isEqualTo("5,3,4");
        assertThat(parse("*").wireForm()).isEqualTo("*");
    }

    @Test
    void savedResultMustBeResolved() { // RFC 5182
        SequenceSet saved = parse("$");
        assertThat(saved).isEqualTo(SequenceSet.saved());
        assertThatThrownBy(() -> saved.contains(1, 10)).isInstanceOf(IllegalStateException.class);
        SequenceSet last = SequenceSet.of(List.of(new SequenceSet.Range(2, 3)));
        assertThat(saved.resolveSaved(last).contains(3, 10)).isTrue();
        assertThat(last.resolveSaved(SequenceSet.single(9))).isSameAs(last);
    }
}
