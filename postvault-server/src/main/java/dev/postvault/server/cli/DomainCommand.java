package dev.postvault.server.cli;

import dev.postvault.server.Node;
import dev.postvault.store.control.Addresses;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "domain", mixinStandardHelpOptions = true, description = "Manage the domains this server receives mail for.",
        subcommands = {DomainCommand.Add.class, DomainCommand.List.class, DomainCommand.Remove.class, DomainCommand.Dns.class,
            DomainCommand.DkimRotate.class})
final class DomainCommand {
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a domain, with its DKIM keys (RSA-2048 and Ed25519); 'domain dns' prints what to publish.")
    static final class Add implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            String d = Addresses.domain(name);
            try (Node node = data.open()) {
                node.control().addDomain(d);
                node.dkim().rotate(d);
            }
            spec.commandLine().getOut().println("added domain " + d + " (DNS records: postvault domain dns " + d + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List domains, one per line.")
    static final class List implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                node.control().domains().forEach(spec.commandLine().getOut()::println);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a domain that has no aliases left.")
    static final class Remove implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            String d = Addresses.domain(name);
            try (Node node = data.open()) {
                node.control().removeDomain(d);
            }
            spec.commandLine().getOut().println("removed domain " + d);
            return ExitCodes.OK;
        }
    }

    @Command(name = "dkim-rotate", mixinStandardHelpOptions = true,
            description = {"Make new DKIM keys for a domain and sign with them from now on.",
                "The old keys are retired but still listed by 'domain dns': keep their records published for a few days."})
    static final class DkimRotate implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                String d = existing(node, name);
                for (var k : node.dkim().rotate(d)) spec.commandLine().getOut().println("new key " + k.dnsName());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "dns", mixinStandardHelpOptions = true,
            description = "Print, in zone-file form, every DNS record a domain needs: MX, SPF, DKIM, DMARC, MTA-STS and TLS-RPT.")
    static final class Dns implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;
        @picocli.CommandLine.Option(names = "--mx", paramLabel = "HOST",
                description = "The host name this server receives mail on (default: mail.NAME).") String mx;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            try (Node node = data.open()) {
                String d = existing(node, name);
                String host = mx == null ? "mail." + d : Addresses.domain(mx);
                var keys = node.dkim().published(d); // public halves only: nothing sealed is opened to print DNS
                out.println("; DNS records for " + d);
                record(out, d, "MX", "10 " + host + "."); // RFC 5321 §5.1
                record(out, d, "TXT", quoted("v=spf1 mx -all")); // RFC 7208: only this domain's MX hosts send its mail
                for (var k : keys) {
                    if (!k.active()) out.println("; retired " + k.createdAt() + ": keep until mail signed with it has been read, then remove");
                    record(out, k.key().dnsName(), "TXT", quoted(k.key().dnsRecord())); // RFC 6376 §3.6.2, RFC 8463 §4.2
                }
                if (keys.isEmpty()) out.println("; no DKIM keys: postvault domain dkim-rotate " + d);
                record(out, "_dmarc." + d, "TXT", quoted("v=DMARC1; p=quarantine; rua=mailto:postmaster@" + d)); // RFC 7489 §6.3
                record(out, "_mta-sts." + d, "TXT", quoted("v=STSv1; id=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                        .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE))); // RFC 8461 §3.1
                record(out, "_smtp._tls." + d, "TXT", quoted("v=TLSRPTv1; rua=mailto:postmaster@" + d)); // RFC 8460 §3
                out.println("; and at https://mta-sts." + d + "/.well-known/mta-sts.txt (RFC 8461 §3.2):");
                for (String line : new String[] {"version: STSv1", "mode: enforce", "mx: " + host, "max_age: 604800"}) out.println(";   " + line);
            }
            return ExitCodes.OK;
        }

        private static void record(java.io.PrintWriter out, String owner, String type, String data) {
            out.printf("%-52s IN %-3s %s%n", owner + ".", type, data);
        }

        /** A TXT value as quoted strings of at most 255 characters each (RFC 1035 §3.3.14). */
        static String quoted(String value) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < value.length(); i += 255) {
                if (i > 0) sb.append(' ');
                sb.append('"').append(value, i, Math.min(value.length(), i + 255)).append('"');
            }
            return sb.toString();
        }
    }

    /** The domain {@code name} names (normalised), or NOT_FOUND (the CLI's "no such domain"). */
    static String existing(Node node, String name) {
        String d = Addresses.domain(name);
        if (!node.control().hasDomain(d)) throw dev.postvault.store.StoreException.notFound("no such domain");
        return d;
    }
}
