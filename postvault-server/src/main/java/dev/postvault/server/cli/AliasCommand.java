package dev.postvault.server.cli;

import dev.postvault.crypto.Secrets;
import dev.postvault.server.Node;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.control.Addresses;
import dev.postvault.store.control.AliasRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "alias", mixinStandardHelpOptions = true, description = "Manage aliases (one encrypted mailbox each).",
        subcommands = {AliasCommand.Add.class, AliasCommand.List.class, AliasCommand.Remove.class, AliasCommand.Passwd.class,
            AliasCommand.SendAs.class, AliasCommand.Quota.class})
final class AliasCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Create an alias and its encrypted mailbox.",
                "Prints a generated password (at least 128 bits) once; it is stored nowhere."})
    static final class Add implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input "
                + "(at least " + Secrets.MIN_CHOSEN_PASSWORD_CHARS + " characters) instead of generating one.")
        boolean passwordStdin;

        @Option(names = "--recovery-key", description = "Also create a recovery key and print it once; "
                + "it can replace the password in 'alias passwd'.")
        boolean recoveryKey;

        @Override
        public Integer call() {
            Optional<String> chosen = passwordStdin ? Optional.of(StdinLines.read(1)[0]) : Optional.empty();
            Accounts.Created created;
            try (Node node = data.open()) {
                created = node.accounts().createAlias(address, chosen, recoveryKey);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("created alias " + created.alias().address());
            if (chosen.isEmpty()) out.println("password: " + created.password());
            created.recoveryKey().ifPresent(k -> out.println("recovery key: " + k));
            if (chosen.isEmpty() || created.recoveryKey().isPresent()) {
                out.println("This is shown once and stored nowhere: without it the mailbox cannot be opened.");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List aliases, one address per line.")
    static final class List implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;

        @Option(names = "--domain", paramLabel = "NAME", description = "Only aliases of this domain.")
        String domain;

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                for (AliasRecord a : node.control().aliases(Optional.ofNullable(domain).map(Addresses::domain))) {
                    spec.commandLine().getOut().println(a.address());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an alias, its mailbox and its spool. This cannot be undone.")
    static final class Remove implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                node.accounts().removeAlias(address);
            }
            spec.commandLine().getOut().println("removed alias " + Addresses.address(address));
            return ExitCodes.OK;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = {"Change an alias's password. The mailbox key is re-wrapped; the mailbox is not rewritten.",
                "With --password-stdin: line 1 is the current password or the recovery key, line 2 the new password.",
                "Without it: the current password is asked for and a new one is generated and printed once."})
    static final class Passwd implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;

        @Option(names = "--password-stdin", description = "Read current and new password from standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String current;
            String next;
            boolean generated = false;
            if (passwordStdin) {
                String[] lines = StdinLines.read(2);
                current = lines[0];
                next = lines[1];
            } else {
                var console = System.console();
                if (console == null) throw new Main.CliException(ExitCodes.USAGE, "no terminal: use --password-stdin");
                char[] pw = console.readPassword("current password or recovery key: ");
                if (pw == null) throw new Main.CliException(ExitCodes.USAGE, "no password given");
                current = new String(pw);
                next = Secrets.generatePassword();
                generated = true;
            }
            try (Node node = data.open()) {
                node.accounts().changePassword(address, current, next);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("changed password of " + Addresses.address(address));
            if (generated) out.println("new password: " + next + "\nThis is shown once and stored nowhere.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "send-as", mixinStandardHelpOptions = true,
            description = {"List, allow or take back the addresses an alias may send as besides its own.",
                "Submission holds the envelope sender, From: and Sender: to these (550 5.7.1 otherwise)."})
    static final class SendAs implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ALIAS") String alias;
        @Option(names = "--add", paramLabel = "ADDRESS", description = "Allow this address (repeatable).") java.util.List<String> add = new java.util.ArrayList<>();
        @Option(names = "--remove", paramLabel = "ADDRESS", description = "Take this address back (repeatable).") java.util.List<String> remove = new java.util.ArrayList<>();

        @Override
        public Integer call() {
            try (Node node = data.open()) {
                AliasRecord a = existing(node, alias);
                for (String r : add) node.control().allowSendAs(a.id(), Addresses.address(r));
                for (String r : remove) node.control().revokeSendAs(a.id(), Addresses.address(r));
                PrintWriter out = spec.commandLine().getOut();
                out.println(a.address() + " (own)");
                node.control().sendAs(a.id()).forEach(out::println);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "quota", mixinStandardHelpOptions = true,
            description = {"Set an alias's storage limit (IMAP QUOTA), e.g. 500M, 10G, or 0 for none.",
                "APPEND, COPY and MOVE over it fail with [OVERQUOTA]; mail from the MX is still delivered."})
    static final class Quota implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ADDRESS") String address;
        @Parameters(index = "1", paramLabel = "SIZE") String size;

        @Override
        public Integer call() {
            long bytes = parseSize(size);
            try (Node node = data.open()) {
                AliasRecord a = existing(node, address);
                node.control().setQuota(a.id(), bytes);
            }
            spec.commandLine().getOut().println("quota of " + Addresses.address(address) + " set to " + bytes + " bytes");
            return ExitCodes.OK;
        }

        static long parseSize(String s) {
            var m = java.util.regex.Pattern.compile("(\\d+)([KMGT]?)", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(s.strip());
            if (!m.matches()) throw new Main.CliException(ExitCodes.INVALID, "not a size: " + s + " (use e.g. 500M or 10G)");
            int shift = switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                case "T" -> 40;
                default -> 0;
            };
            try {
                return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new Main.CliException(ExitCodes.INVALID, "size too large: " + s);
            }
        }
    }

    /** The alias of {@code address}, or NOT_FOUND (the CLI's "no such alias"). */
    static AliasRecord existing(Node node, String address) {
        return node.control().alias(Addresses.address(address))
                .orElseThrow(() -> dev.postvault.store.StoreException.notFound("no such alias"));
    }

    /** Reads exactly {@code n} lines from standard input, without their line endings. */
    static final class StdinLines {
        private StdinLines() {}

        static String[] read(int n) {
            var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String[] lines = new String[n];
            try {
                for (int i = 0; i < n; i++) {
                    lines[i] = in.readLine();
                    if (lines[i] == null) {
                        throw new Main.CliException(ExitCodes.USAGE, "expected " + n + " line(s) on standard input, got " + i);
                    }
                }
            } catch (IOException e) {
                throw new Main.CliException(ExitCodes.ERROR, "cannot read standard input");
            }
            return lines;
        }
    }
}
