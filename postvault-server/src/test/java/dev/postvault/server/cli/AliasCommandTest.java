package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.crypto.Bytes;
import dev.postvault.server.Node;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.MessageMeta;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postvault alias add|list|remove|passwd}, checked against the store through {@link Node}. */
class AliasCommandTest {
    private static final String GENERATED = "[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){6}";
    private static final byte[] MESSAGE = ("From: a@sender.example\r\nTo: hello@example.org\r\nSubject: kept\r\n"
            + "Message-ID: <kept-1@sender.example>\r\n\r\nStill here after a password change.\r\n").getBytes(StandardCharsets.UTF_8);

    @TempDir Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private Cli.Result cli(String... args) {
        return cliWithStdin("", args);
    }

    private Cli.Result cliWithStdin(String stdin, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = data().toString();
        return Cli.runWithStdin(Map.of(), stdin, all);
    }

    private Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @BeforeEach
    void domains() {
        ok(cli("domain", "add", "example.org"));
        ok(cli("domain", "add", "example.net"));
    }

    private static Node node(Path dir) {
        return Node.open(dir, Node.Settings.DEFAULT);
    }

    private AliasRecord alias(String address) {
        try (Node node = node(data())) {
            return node.control().alias(address).orElseThrow();
        }
    }

    private boolean logsIn(String address, String password) {
        try (Node node = node(data())) {
            Unlocked u = node.accounts().login(address, password);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                return mb.folder("INBOX").name().equals("INBOX");
            }
        } catch (StoreException e) {
            assertThat(e.kind()).isEqualTo(StoreException.Kind.AUTHENTICATION_FAILED);
            return false;
        }
    }

    // ---- add ---------------------------------------------------------------------------------------

    @Test
    void addPrintsAGeneratedPasswordOnceThatLogsInAndIsStoredNowhere() {
        Cli.Result r = ok(cli("alias", "add", "Hello@Example.ORG"));

        assertThat(r.outLines()).first().isEqualTo("created alias hello@example.org");
        String password = r.value("password");
        assertThat(password).matches(GENERATED);
        // 28 symbols of a 31-symbol alphabet: at least 128 bits.
        assertThat(password.replace("-", "").length() * Math.log(31) / Math.log(2)).isGreaterThanOrEqualTo(128);
        assertThat(Cli.occurrences(r.out() + r.err(), password)).isEqualTo(1);
        assertThat(r.out()).doesNotContain("recovery key");
        assertThat(r.err()).isEmpty();

        assertThat(logsIn("hello@example.org", password)).isTrue();
        assertThat(logsIn("HELLO@example.org", password)).as("local parts are case-insensitive").isTrue();
        assertThat(logsIn("hello@example.org", password.toUpperCase(Locale.ROOT))).isFalse();

        List<Path> files = Cli.allFiles(data());
        assertThat(files).as("the scan must look at the control plane and the mailbox")
                .anyMatch(f -> f.getFileName().toString().equals("control.sqlite"))
                .anyMatch(f -> f.getParent().getFileName().toString().equals("mailboxes"));
        assertThat(Cli.filesContaining(data(), password)).isEmpty();
        assertThat(Cli.filesContaining(data(), password.replace("-", ""))).isEmpty();
        // The address appears only inside the encrypted control plane, never in plain text on disk.
        assertThat(Cli.filesContaining(data(), "hello@example.org")).isEmpty();
    }

    @Test
    void everyAddGeneratesADifferentPassword() {
        String a = ok(cli("alias", "add", "a@example.org")).value("password");
        String b = ok(cli("alias", "add", "b@example.org")).value("password");
        assertThat(a).isNotEqualTo(b);
        assertThat(logsIn("a@example.org", b)).isFalse();
        assertThat(logsIn("b@example.org", a)).isFalse();
    }

    @Test
    void addWithPasswordFromStdinPrintsNoPassword() {
        String chosen = "correct horse battery staple";
        Cli.Result r = ok(cliWithStdin(chosen + "\nsecond line is ignored\n", "alias", "add", "hello@example.org", "--password-stdin"));

        assertThat(r.outLines()).containsExactly("created alias hello@example.org");
        assertThat(r.out() + r.err()).doesNotContain(chosen);
        assertThat(logsIn("hello@example.org", chosen)).isTrue();
        assertThat(Cli.filesContaining(data(), chosen)).isEmpty();
    }

    @Test
    void passwordFromStdinOfExactlyTwelveCharactersIsAccepted() {
        ok(cliWithStdin("twelve-chars", "alias", "add", "hello@example.org", "--password-stdin"));
        assertThat(logsIn("hello@example.org", "twelve-chars")).isTrue();
    }

    @Test
    void tooShortPasswordFromStdinExitsInvalidAndCreatesNothing() {
        Cli.Result r = cliWithStdin("eleven-char\n", "alias", "add", "hello@example.org", "--password-stdin");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID).isEqualTo(7);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("postvault: ").doesNotContain("eleven-char");
        assertThat(cli("alias", "list").out()).isEmpty();
        assertThat(Cli.allFiles(data().resolve("mailboxes"))).isEmpty();
    }

    @Test
    void chosenPasswordLengthCountsCharactersNotUtf16Units() {
        String twelveKeys = "\uD83D\uDD11".repeat(12); // 12 code points, 24 UTF-16 units
        ok(cliWithStdin(twelveKeys + "\n", "alias", "add", "a@example.org", "--password-stdin"));
        assertThat(logsIn("a@example.org", twelveKeys)).isTrue();

        Cli.Result r = cliWithStdin("\uD83D\uDD11".repeat(11) + "\n", "alias", "add", "b@example.org", "--password-stdin");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID);

        ok(cliWithStdin("pässwörd-ünï\n", "alias", "add", "c@example.org", "--password-stdin"));
        assertThat(logsIn("c@example.org", "pässwörd-ünï")).isTrue();
    }

    @Test
    void chosenPasswordWithRecoveryKeyPrintsOnlyTheRecoveryKey() {
        String chosen = "my own long passphrase";
        Cli.Result r = ok(cliWithStdin(chosen + "\n", "alias", "add", "hello@example.org", "--password-stdin", "--recovery-key"));

        assertThat(r.out()).doesNotContain("password:").doesNotContain(chosen);
        String recovery = r.value("recovery key");
        ok(cliWithStdin(recovery + "\nreplaced passphrase\n", "alias", "passwd", "hello@example.org", "--password-stdin"));
        assertThat(logsIn("hello@example.org", "replaced passphrase")).isTrue();
    }

    @Test
    void passwdWithoutStdinAndWithoutATerminalIsAUsageError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.console() == null, "tests run without a terminal");
        String old = ok(cli("alias", "add", "hello@example.org")).value("password");

        Cli.Result r = cliWithStdin(old + "\n", "alias", "passwd", "hello@example.org");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--password-stdin");
        assertThat(logsIn("hello@example.org", old)).isTrue();
    }

    @Test
    void emptyStdinIsAUsageError() {
        Cli.Result r = cliWithStdin("", "alias", "add", "hello@example.org", "--password-stdin");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli("alias", "list").out()).isEmpty();
    }

    @Test
    void addWithRecoveryKeyPrintsBothOnce() {
        Cli.Result r = ok(cli("alias", "add", "hello@example.org", "--recovery-key"));

        String password = r.value("password");
        String recovery = r.value("recovery key");
        assertThat(recovery).matches(GENERATED).isNotEqualTo(password);
        assertThat(Cli.occurrences(r.out(), recovery)).isEqualTo(1);
        assertThat(Cli.filesContaining(data(), recovery)).isEmpty();
        assertThat(Cli.filesContaining(data(), recovery.replace("-", ""))).isEmpty();
        assertThat(alias("hello@example.org").credentials().recoveryWrappedDek()).isPresent();
        // A recovery key is not a password: it does not log in, it only replaces the password in passwd.
        assertThat(logsIn("hello@example.org", recovery)).isFalse();
        assertThat(logsIn("hello@example.org", password)).isTrue();
    }

    @Test
    void addWithoutRecoveryKeyStoresNoRecoveryWrap() {
        ok(cli("alias", "add", "hello@example.org"));
        assertThat(alias("hello@example.org").credentials().recoveryWrappedDek()).isEmpty();
    }

    @Test
    void addErrors() {
        ok(cli("alias", "add", "hello@example.org"));

        Cli.Result dup = cli("alias", "add", "HELLO@example.org");
        assertThat(dup.exitCode()).as(dup.toString()).isEqualTo(ExitCodes.ALREADY_EXISTS);
        assertThat(dup.out()).doesNotContain("password");

        Cli.Result noDomain = cli("alias", "add", "hello@unknown.example");
        assertThat(noDomain.exitCode()).as(noDomain.toString()).isEqualTo(ExitCodes.NOT_FOUND);

        for (String bad : new String[] {"no-at-sign", "@example.org", "hello@", "two words@example.org", "a..b@example.org"}) {
            Cli.Result r = cli("alias", "add", bad);
            assertThat(r.exitCode()).as(bad + ": " + r).isEqualTo(ExitCodes.INVALID);
            assertThat(r.out()).isEmpty();
        }
        assertThat(cli("alias", "list").outLines()).containsExactly("hello@example.org");
        try (var files = Files.list(data().resolve("mailboxes"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".sqlite"))).hasSize(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- list --------------------------------------------------------------------------------------

    @Test
    void listPrintsOneAddressPerLineAndFiltersByDomain() {
        for (String a : new String[] {"zed@example.org", "amy@example.net", "bob@example.org", "Carl@Example.Net"}) {
            ok(cli("alias", "add", a));
        }

        assertThat(ok(cli("alias", "list")).outLines())
                .containsExactly("amy@example.net", "bob@example.org", "carl@example.net", "zed@example.org");
        assertThat(ok(cli("alias", "list", "--domain", "example.org")).outLines()).containsExactly("bob@example.org", "zed@example.org");
        assertThat(ok(cli("alias", "list", "--domain", "EXAMPLE.NET.")).outLines()).containsExactly("amy@example.net", "carl@example.net");
        assertThat(ok(cli("alias", "list", "--domain", "unknown.example")).out()).isEmpty();
        assertThat(cli("alias", "list", "--domain", "not a domain").exitCode()).isEqualTo(ExitCodes.INVALID);
    }

    // ---- remove ------------------------------------------------------------------------------------

    @Test
    void removeDeletesMailboxAndSpool() {
        String password = ok(cli("alias", "add", "hello@example.org")).value("password");
        ok(cli("alias", "add", "other@example.org"));
        AliasRecord a = alias("hello@example.org");
        Path mailbox;
        Path spoolDir = data().resolve("spool").resolve(a.id());
        try (Node node = node(data())) {
            mailbox = node.mailboxes().file(a.id());
            node.spool().enqueue(a, new ByteArrayInputStream(MESSAGE), Instant.now());
        }
        assertThat(mailbox).isRegularFile();
        assertThat(spoolDir).isDirectory();

        Cli.Result r = ok(cli("alias", "remove", "Hello@Example.org"));

        assertThat(r.outLines()).containsExactly("removed alias hello@example.org");
        assertThat(mailbox).doesNotExist();
        assertThat(mailbox.resolveSibling(mailbox.getFileName() + "-wal")).doesNotExist();
        assertThat(mailbox.resolveSibling(mailbox.getFileName() + "-shm")).doesNotExist();
        assertThat(spoolDir).doesNotExist();
        assertThat(ok(cli("alias", "list")).outLines()).containsExactly("other@example.org");
        assertThat(logsIn("hello@example.org", password)).isFalse();

        // The address is free again, with a new mailbox.
        String again = ok(cli("alias", "add", "hello@example.org")).value("password");
        assertThat(alias("hello@example.org").id()).isNotEqualTo(a.id());
        assertThat(logsIn("hello@example.org", again)).isTrue();
    }

    @Test
    void removeUnknownAliasExitsNotFound() {
        ok(cli("alias", "add", "hello@example.org"));
        Cli.Result r = cli("alias", "remove", "nobody@example.org");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.out()).isEmpty();
        assertThat(cli("alias", "list").outLines()).containsExactly("hello@example.org");
    }

    // ---- passwd ------------------------------------------------------------------------------------

    /** Appends {@link #MESSAGE} with the password, so a test can show the mailbox survives a change. */
    private void appendMessage(String address, String password) {
        try (Node node = node(data())) {
            Unlocked u = node.accounts().login(address, password);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                mb.append("INBOX", MESSAGE, MessageFlags.NONE, Instant.parse("2026-01-02T03:04:05Z"));
            }
        }
    }

    private void assertMailboxIntact(String address, String password) {
        try (Node node = node(data())) {
            Unlocked u = node.accounts().login(address, password);
            try (Mailbox mb = node.mailboxes().open(u.alias().id(), u.dek())) {
                List<MessageMeta> msgs = mb.messages(mb.folder("INBOX").id());
                assertThat(msgs).hasSize(1);
                assertThat(mb.raw(msgs.getFirst().contentId())).isEqualTo(MESSAGE);
            }
        }
    }

    @Test
    void passwdWithCurrentPassword() {
        String old = ok(cli("alias", "add", "hello@example.org")).value("password");
        appendMessage("hello@example.org", old);
        String next = "a brand new passphrase";
        long version = alias("hello@example.org").credentials().version();

        Cli.Result r = ok(cliWithStdin(old + "\n" + next + "\n", "alias", "passwd", "hello@example.org", "--password-stdin"));

        assertThat(r.outLines()).containsExactly("changed password of hello@example.org");
        assertThat(r.out() + r.err()).doesNotContain(old).doesNotContain(next);
        assertThat(logsIn("hello@example.org", next)).isTrue();
        assertThat(logsIn("hello@example.org", old)).isFalse();
        assertThat(alias("hello@example.org").credentials().version()).isEqualTo(version + 1);
        assertMailboxIntact("hello@example.org", next);
        assertThat(Cli.filesContaining(data(), next)).isEmpty();
    }

    @Test
    void passwdWithRecoveryKeyKeepsTheRecoveryKeyWorking() {
        Cli.Result created = ok(cli("alias", "add", "hello@example.org", "--recovery-key"));
        String old = created.value("password");
        String recovery = created.value("recovery key");
        appendMessage("hello@example.org", old);

        ok(cliWithStdin(recovery + "\nfirst new passphrase\n", "alias", "passwd", "hello@example.org", "--password-stdin"));

        assertThat(logsIn("hello@example.org", "first new passphrase")).isTrue();
        assertThat(logsIn("hello@example.org", old)).isFalse();
        assertMailboxIntact("hello@example.org", "first new passphrase");

        // Case, dashes and spaces do not matter when a recovery key is typed back; it works again.
        String typed = recovery.toUpperCase(Locale.ROOT).replace("-", " ");
        ok(cliWithStdin(typed + "\nsecond new passphrase\n", "alias", "passwd", "hello@example.org", "--password-stdin"));

        assertThat(logsIn("hello@example.org", "second new passphrase")).isTrue();
        assertThat(logsIn("hello@example.org", "first new passphrase")).isFalse();
        assertMailboxIntact("hello@example.org", "second new passphrase");
    }

    @Test
    void passwdWithWrongPasswordExitsAuthenticationFailedAndChangesNothing() {
        String old = ok(cli("alias", "add", "hello@example.org", "--recovery-key")).value("password");
        appendMessage("hello@example.org", old);
        AliasRecord before = alias("hello@example.org");

        // Neither a wrong password nor a well-formed but wrong recovery key may change anything.
        for (String wrong : new String[] {"not the password at all", old + "x", "abcd-efgh-jkmn-pqrs-tuvw-xyz2-3456"}) {
            Cli.Result r = cliWithStdin(wrong + "\nan attempted new one\n", "alias", "passwd", "hello@example.org", "--password-stdin");

            assertThat(r.exitCode()).as(wrong + ": " + r).isEqualTo(ExitCodes.AUTHENTICATION_FAILED).isEqualTo(5);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("postvault: ").doesNotContain(wrong);
        }

        AliasRecord after = alias("hello@example.org");
        assertThat(after.credentials().version()).isEqualTo(before.credentials().version());
        assertThat(Bytes.constantTimeEquals(after.credentials().verifier(), before.credentials().verifier())).isTrue();
        assertThat(Bytes.constantTimeEquals(after.credentials().wrappedDek(), before.credentials().wrappedDek())).isTrue();
        assertThat(logsIn("hello@example.org", "an attempted new one")).isFalse();
        assertThat(logsIn("hello@example.org", old)).isTrue();
        assertMailboxIntact("hello@example.org", old);
    }

    @Test
    void passwdToATooShortPasswordExitsInvalidAndChangesNothing() {
        String old = ok(cli("alias", "add", "hello@example.org")).value("password");

        Cli.Result r = cliWithStdin(old + "\nshort\n", "alias", "passwd", "hello@example.org", "--password-stdin");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(logsIn("hello@example.org", old)).isTrue();
    }

    @Test
    void passwdOfUnknownAliasDoesNotRevealThatItIsUnknown() {
        ok(cli("alias", "add", "hello@example.org"));
        Cli.Result r = cliWithStdin("whatever password\nan attempted new one\n", "alias", "passwd", "nobody@example.org", "--password-stdin");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
    }

    @Test
    void passwdWithOneLineOnStdinIsAUsageError() {
        String old = ok(cli("alias", "add", "hello@example.org")).value("password");
        Cli.Result r = cliWithStdin(old + "\n", "alias", "passwd", "hello@example.org", "--password-stdin");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(logsIn("hello@example.org", old)).isTrue();
    }

    @Test
    void sendAsAddressesAreAddedListedAndRemoved() {
        ok(cli("alias", "add", "s@example.org"));
        assertThat(ok(cli("alias", "send-as", "s@example.org", "--add", "Team@Example.org", "--add", "news@example.net")).out())
                .isEqualTo("s@example.org (own)\nnews@example.net\nteam@example.org\n");
        assertThat(ok(cli("alias", "send-as", "s@example.org", "--remove", "news@example.net")).out())
                .isEqualTo("s@example.org (own)\nteam@example.org\n");
        assertThat(cli("alias", "send-as", "s@example.org", "--remove", "news@example.net").exitCode()).isNotZero();
        assertThat(cli("alias", "send-as", "nobody@example.org").exitCode()).isNotZero();
    }

    @Test
    void quotaIsSetWithUnitsAndValidated() {
        ok(cli("alias", "add", "q@example.org"));
        assertThat(ok(cli("alias", "quota", "q@example.org", "500M")).out()).contains("524288000 bytes");
        try (Node node = Node.open(data(), Node.Settings.DEFAULT)) {
            assertThat(node.control().alias("q@example.org").orElseThrow().quotaBytes()).isEqualTo(500L << 20);
        }
        assertThat(cli("alias", "quota", "q@example.org", "lots").exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(cli("alias", "quota", "q@example.org", "99999999999T").exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(cli("alias", "quota", "nobody@example.org", "1G").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        ok(cli("alias", "quota", "q@example.org", "0"));
    }
}
