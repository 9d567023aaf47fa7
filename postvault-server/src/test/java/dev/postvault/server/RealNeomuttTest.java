package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageMeta;
import dev.postvault.store.mailbox.SystemFlag;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * NeoMutt, the terminal mail reader, working on the INBOX over IMAPS as a person would: it reads the
 * first of three messages, pipes it out and copies it to Archive, flags the second, deletes the third,
 * syncs and quits. Afterwards the server must hold exactly that: the first message seen and archived
 * intact, the second flagged, the third expunged. NeoMutt verifies the server certificate, host name
 * included, and runs on a pseudo-terminal with no user configuration or cache: a generated muttrc sets
 * it up and pushes the keystrokes. Skipped where neomutt is not installed.
 */
class RealNeomuttTest {
    private static final String USER = "hello@example.org";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // a failed run leaves the muttrc and neomutt's screen here
    private ServerFixture fx;
    private String password;
    private final List<String> delivered = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(dir.resolve("data"));
        fx.node().control().addDomain("example.org");
        password = fx.node().accounts().createAlias(USER, Optional.empty(), false).password();
        var alias = fx.node().control().alias(USER).orElseThrow();
        for (int i = 1; i <= 3; i++) {
            String raw = "From: Alice <alice@sender.example>\r\nTo: " + USER + "\r\nSubject: neomutt " + i
                    + "\r\nMessage-ID: <neomutt" + i + "@sender.example>\r\n\r\nbody of message " + i + "\r\n";
            fx.node().spool().enqueue(alias, new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)), Instant.now());
            delivered.add(raw);
        }
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void readsFlagsDeletesArchivesAndSyncs() throws Exception {
        assumeTrue(ExternalClients.onPath("neomutt"), "neomutt not installed");
        assumeTrue(ExternalClients.onPath("script"), "script (util-linux) not installed");
        Path piped = dir.resolve("piped.eml");
        Path muttrc = dir.resolve("muttrc");
        Files.writeString(muttrc, """
                set folder='imaps://localhost:%d/'
                set spoolfile='+INBOX'
                set imap_user='%s'
                set imap_pass='%s'
                set ssl_force_tls=yes
                set certificate_file='%s'
                set header_cache=''
                set message_cachedir=''
                # Messages in server order; a key acts on the current one and only <next-entry> moves on.
                set sort=unsorted
                set resolve=no
                set pipe_decode=no
                # Nobody is at the keyboard: nothing may ask or wait.
                set wait_key=no
                set confirmappend=no
                set delete=yes
                set move=no
                set quit=yes
                set sleep_time=0
                push '<first-entry><display-message><exit><pipe-message>cat > %s<enter><copy-message>=Archive<enter>\
                <next-entry><flag-message><next-entry><delete-message><sync-mailbox><quit>'
                """.formatted(fx.server.port("imaps"), USER, password, ExternalClients.caFile(fx, dir), piped));
        ExternalClients.runOnTerminal(List.of("neomutt", "-n", "-F", muttrc.toString()),
                Map.of("HOME", dir.toString(), "TERM", "xterm", "COLUMNS", "100", "LINES", "30"), dir.resolve("screen"), LIMIT);

        assertThat(Files.readString(piped)).isEqualTo(delivered.getFirst().replace("\r\n", "\n")); // neomutt keeps LF line ends
        var u = fx.node().accounts().login(USER, password);
        try (var m = fx.node().mailboxes().open(u.alias().id(), u.dek())) {
            List<MessageMeta> inbox = m.messages(m.folder("INBOX").id());
            assertThat(inbox).hasSize(2);
            assertThat(raw(m, inbox.get(0))).isEqualTo(delivered.get(0));
            assertThat(inbox.get(0).flags().system()).contains(SystemFlag.SEEN).doesNotContain(SystemFlag.FLAGGED);
            assertThat(raw(m, inbox.get(1))).isEqualTo(delivered.get(1));
            assertThat(inbox.get(1).flags().system()).contains(SystemFlag.FLAGGED).doesNotContain(SystemFlag.SEEN);
            List<MessageMeta> archive = m.messages(m.folder("Archive").id());
            assertThat(archive).hasSize(1);
            assertThat(raw(m, archive.getFirst())).isEqualTo(delivered.getFirst());
        }
    }

    private static String raw(Mailbox m, MessageMeta message) {
        return new String(m.raw(message.contentId()), StandardCharsets.US_ASCII);
    }
}
