package dev.postvault.imap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CommandTableTest {

    @Test
    void lookupIsCaseInsensitive() {
        assertThat(ImapCommandSpec.lookup("uid fetch")).contains(ImapCommandSpec.UID_FETCH);
        assertThat(ImapCommandSpec.lookup("Select")).contains(ImapCommandSpec.SELECT);
        assertThat(ImapCommandSpec.lookup("XPIG-LATIN")).isEmpty();
        assertThat(ImapCommandSpec.lookup("UID")).isEmpty();
    }

    @Test
    void statesFollowRfc9051() { // RFC 9051 §6.1 - §6.4
        assertThat(ImapCommandSpec.CAPABILITY.allowedStates()).containsExactlyInAnyOrder(
                ImapState.NOT_AUTHENTICATED, ImapState.AUTHENTICATED, ImapState.SELECTED);
        assertThat(ImapCommandSpec.LOGIN.allowedStates()).containsExactly(ImapState.NOT_AUTHENTICATED);
        assertThat(ImapCommandSpec.APPEND.allowedStates()).containsExactlyInAnyOrder(ImapState.AUTHENTICATED, ImapState.SELECTED);
        assertThat(ImapCommandSpec.ENABLE.allowedStates()).containsExactly(ImapState.AUTHENTICATED);
        assertThat(ImapCommandSpec.FETCH.allowedStates()).containsExactly(ImapState.SELECTED);
        assertThat(Arrays.stream(ImapCommandSpec.values()).noneMatch(spec -> spec.allowedIn(ImapState.LOGOUT))).isTrue();
        assertThat(Arrays.stream(ImapCommandSpec.values()).filter(ImapCommandSpec::isUid).map(ImapCommandSpec::commandName))
                .containsExactlyInAnyOrder("UID COPY", "UID MOVE", "UID FETCH", "UID STORE", "UID SEARCH", "UID SORT",
                        "UID THREAD", "UID EXPUNGE");
        assertThat(ImapCommandSpec.values()).allSatisfy(spec -> assertThat(spec.rfcSection()).startsWith("RFC "));
    }

    @Test
    void expungesWaitForCommandsThatNameMessagesByNumber() { // RFC 9051 §7.5.1
        assertThat(Arrays.stream(ImapCommandSpec.values()).filter(ImapCommandSpec::holdsExpunges).map(ImapCommandSpec::commandName))
                .containsExactlyInAnyOrder("FETCH", "STORE", "SEARCH", "COPY", "MOVE", "SORT", "THREAD",
                        "UID FETCH", "UID STORE", "UID SEARCH", "UID COPY", "UID MOVE", "UID SORT", "UID THREAD");
        assertThat(ImapCommandSpec.NOOP.holdsExpunges()).isFalse();
        assertThat(ImapCommandSpec.UID_EXPUNGE.holdsExpunges()).isFalse();
    }
}
