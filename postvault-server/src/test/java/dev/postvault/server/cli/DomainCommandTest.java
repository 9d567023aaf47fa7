package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.server.Node;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code postvault domain add|list|remove}: output, normalisation, errors and exit codes. */
class DomainCommandTest {
    @TempDir Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private Cli.Result cli(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = data().toString();
        return Cli.run(Map.of(), all);
    }

    @Test
    void addListRemoveRoundTrip() {
        assertThat(cli("domain", "list")).satisfies(r -> {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).isEmpty();
        });

        Cli.Result added = cli("domain", "add", "Example.ORG.");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.outLines()).containsExactly("added domain example.org (DNS records: postvault domain dns example.org)");
        assertThat(added.err()).isEmpty();
        assertThat(cli("domain", "add", "b.example").exitCode()).isZero();
        assertThat(cli("domain", "add", "a.example").exitCode()).isZero();

        Cli.Result list = cli("domain", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.outLines()).containsExactly("a.example", "b.example", "example.org");

        Cli.Result removed = cli("domain", "remove", "B.Example");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.outLines()).containsExactly("removed domain b.example");
        assertThat(cli("domain", "list").outLines()).containsExactly("a.example", "example.org");
    }

    @Test
    void dnsPrintsEveryRecordTheDomainNeedsAndRotationRetiresTheOldKeys() {
        assertThat(cli("domain", "add", "example.org").exitCode()).isZero();
        Cli.Result dns = cli("domain", "dns", "example.org", "--mx", "mx1.example.org");
        assertThat(dns.exitCode()).as(dns.toString()).isZero();
        java.util.List<String> lines = dns.outLines();
        assertThat(lines).anyMatch(l -> l.matches("example\\.org\\. +IN MX +10 mx1\\.example\\.org\\."))
                .anyMatch(l -> l.matches("example\\.org\\. +IN TXT +\"v=spf1 mx -all\""))
                .anyMatch(l -> l.matches("pv-rsa-\\d{8}-[0-9a-f]{4}\\._domainkey\\.example\\.org\\. +IN TXT +\"v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+\" \"[A-Za-z0-9+/=]+\""))
                .anyMatch(l -> l.matches("pv-ed-\\d{8}-[0-9a-f]{4}\\._domainkey\\.example\\.org\\. +IN TXT +\"v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=\""))
                .anyMatch(l -> l.startsWith("_dmarc.example.org.") && l.contains("v=DMARC1; p=quarantine"))
                .anyMatch(l -> l.startsWith("_mta-sts.example.org.") && l.contains("v=STSv1; id="))
                .anyMatch(l -> l.startsWith("_smtp._tls.example.org.") && l.contains("v=TLSRPTv1; rua=mailto:postmaster@example.org"))
                .anyMatch(l -> l.equals(";   mx: mx1.example.org"))
                .noneMatch(l -> l.startsWith("; retired"));
        Cli.Result rotated = cli("domain", "dkim-rotate", "example.org");
        assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
        assertThat(rotated.outLines()).hasSize(2).allMatch(l -> l.startsWith("new key pv-"));
        java.util.List<String> after = cli("domain", "dns", "example.org").outLines();
        assertThat(after.stream().filter(l -> l.contains("._domainkey.")).count()).isEqualTo(4);
        assertThat(after.stream().filter(l -> l.startsWith("; retired")).count()).isEqualTo(2);
        assertThat(cli("domain", "dns", "nowhere.example").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void internationalisedDomainIsStoredAsALabel() {
        Cli.Result r = cli("domain", "add", "bücher.example");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(cli("domain", "list").outLines()).containsExactly("xn--bcher-kva.example");
    }

    @Test
    void duplicateDomainExitsAlreadyExists() {
        assertThat(cli("domain", "add", "example.org").exitCode()).isZero();

        for (String same : new String[] {"example.org", "EXAMPLE.org", "example.org."}) {
            Cli.Result r = cli("domain", "add", same);
            assertThat(r.exitCode()).as(same + ": " + r).isEqualTo(ExitCodes.ALREADY_EXISTS).isEqualTo(4);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("postvault: ").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(cli("domain", "list").outLines()).containsExactly("example.org");
    }

    @Test
    void removingUnknownDomainExitsNotFound() {
        assertThat(cli("domain", "add", "example.org").exitCode()).isZero();

        Cli.Result r = cli("domain", "remove", "other.example");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("postvault: ");
        assertThat(cli("domain", "list").outLines()).containsExactly("example.org");
    }

    @Test
    void removingDomainWithAliasesExitsInUseAndKeepsIt() {
        assertThat(cli("domain", "add", "example.org").exitCode()).isZero();
        assertThat(cli("alias", "add", "hello@example.org").exitCode()).isZero();

        Cli.Result r = cli("domain", "remove", "example.org");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.IN_USE).isEqualTo(6);
        assertThat(r.out()).isEmpty();
        assertThat(cli("domain", "list").outLines()).containsExactly("example.org");
        assertThat(cli("alias", "list").outLines()).containsExactly("hello@example.org");

        // Once its last alias is gone the domain can go.
        assertThat(cli("alias", "remove", "hello@example.org").exitCode()).isZero();
        assertThat(cli("domain", "remove", "example.org").exitCode()).isZero();
        assertThat(cli("domain", "list").out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "bad domain.example", "x.-bad.example", "bad-.example", "a..example", "under_score.example",
        "x@example.org", ".", ""})
    void invalidDomainNameExitsInvalidAndAddsNothing(String name) {
        Cli.Result r = cli("domain", "add", name);

        assertThat(r.exitCode()).as("'" + name + "': " + r).isEqualTo(ExitCodes.INVALID).isEqualTo(7);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("postvault: ");
        try (Node node = Node.open(data(), Node.Settings.DEFAULT)) {
            assertThat(node.control().domains()).isEmpty();
        }
    }

    @Test
    void invalidNameOnRemoveExitsInvalid() {
        Cli.Result r = cli("domain", "remove", "not a domain");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID);
    }

    @Test
    void missingArgumentOrUnknownSubcommandIsAUsageError() {
        Cli.Result missing = cli("domain", "add");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
        assertThat(missing.err()).contains("NAME");

        Cli.Result unknown = cli("domain", "rename", "a.example");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);

        Cli.Result option = cli("domain", "list", "--no-such-option");
        assertThat(option.exitCode()).as(option.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(option.err()).contains("--no-such-option");
    }
}
