package dev.postvault.store.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageFlagsTest {
    @Test
    void columnsReadBackAsTheFlagsThatWroteThem() {
        for (int bits = 0; bits < 1 << SystemFlag.values().length; bits++) {
            EnumSet<SystemFlag> system = EnumSet.noneOf(SystemFlag.class);
            for (SystemFlag f : SystemFlag.values()) if ((bits & f.bit()) != 0) system.add(f);
            MessageFlags plain = MessageFlags.fromColumns(bits, "");
            assertThat(plain.system()).isEqualTo(system);
            assertThat(plain.keywords()).isEmpty();
            assertThat(plain.bits()).isEqualTo(bits);
            MessageFlags withKeywords = MessageFlags.fromColumns(bits, "$Junk Work");
            assertThat(withKeywords.system()).isEqualTo(system);
            assertThat(withKeywords.keywords()).containsExactly("$Junk", "Work");
            assertThat(withKeywords.keywordColumn()).isEqualTo("$Junk Work");
        }
        assertThat(MessageFlags.fromColumns(1, "")).isEqualTo(MessageFlags.of(SystemFlag.SEEN));
        assertThat(MessageFlags.fromColumns(0, "")).isEqualTo(new MessageFlags(Set.of(), new java.util.TreeSet<>()));
    }
}
