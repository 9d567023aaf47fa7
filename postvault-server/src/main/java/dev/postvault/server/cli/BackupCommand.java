package dev.postvault.server.cli;

import dev.postvault.backup.BackupTarget;
import dev.postvault.backup.MailboxBackups;
import dev.postvault.backup.Manifest;
import dev.postvault.server.Node;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.control.Addresses;
import dev.postvault.store.control.AliasRecord;
import dev.postvault.store.mailbox.Mailbox;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up mailboxes and list their versions.",
        subcommands = {BackupCommand.Run.class, BackupCommand.ListVersions.class})
final class BackupCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Back up mailboxes now, whether or not a server runs on the data directory.",
                "With --password-stdin (one address): a snapshot, opened and integrity-checked with the key.",
                "Without: a byte copy of the encrypted file, when no session has it open.",
                "A mailbox that has not changed since its latest version stores nothing.",
                "Exit status 75 when some mailbox could not be backed up now (in use): run again later."})
    static final class Run implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Mixin BackupOptions backup;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ADDRESS", arity = "0..*", description = "Aliases to back up.")
        List<String> addresses = new ArrayList<>();

        @Option(names = "--all", description = "Every alias.") boolean all;

        @Option(names = "--password-stdin", description = "Read the alias's password from standard input and make a verified snapshot.")
        boolean passwordStdin;

        @Override
        public Integer call() throws Exception {
            if (all == !addresses.isEmpty()) throw new Main.CliException(ExitCodes.USAGE, "name aliases or give --all");
            if (passwordStdin && addresses.size() != 1) throw new Main.CliException(ExitCodes.USAGE, "--password-stdin needs exactly one address");
            Optional<String> password = passwordStdin ? Optional.of(AliasCommand.StdinLines.read(1)[0]) : Optional.empty();
            PrintWriter out = spec.commandLine().getOut();
            int skipped = 0;
            try (Node node = data.open(); var target = new Closing(backup.settings().openTarget(data.dataDir))) {
                MailboxBackups service = backup.settings().service(node, target.target);
                List<AliasRecord> aliases = new ArrayList<>();
                if (all) aliases.addAll(node.control().aliases(Optional.empty()));
                for (String a : addresses) {
                    aliases.add(node.control().alias(Addresses.address(a)).orElseThrow(() -> StoreException.notFound("no such alias: " + a)));
                }
                var progress = new Progress(spec.commandLine().getErr(), "backup", aliases.size());
                for (AliasRecord alias : aliases) {
                    MailboxBackups.Outcome o;
                    if (password.isPresent()) {
                        Unlocked u = node.accounts().login(alias.address(), password.get());
                        try (Mailbox m = node.mailboxes().open(alias.id(), u.dek())) {
                            o = service.backup(alias, Optional.of(m));
                        }
                    } else {
                        o = service.backup(alias, Optional.empty());
                    }
                    switch (o) {
                        case MailboxBackups.Outcome.Stored s -> out.println(alias.address() + ": stored version " + s.manifest().version()
                                + " (" + s.manifest().kind().name().toLowerCase(java.util.Locale.ROOT) + ", " + s.manifest().size() + " bytes"
                                + (s.expired() > 0 ? ", " + s.expired() + " old versions removed" : "") + ")");
                        case MailboxBackups.Outcome.Unchanged u -> out.println(alias.address() + ": unchanged since version " + u.latest().version());
                        case MailboxBackups.Outcome.Skipped s -> {
                            skipped++;
                            out.println(alias.address() + ": not backed up now: " + s.reason());
                        }
                    }
                    progress.step("");
                }
            }
            return skipped > 0 ? ExitCodes.TEMPORARY : ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List an alias's backup versions, newest first: version id, time, kind, size in bytes.")
    static final class ListVersions implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Mixin BackupOptions backup;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "ADDRESS") String address;

        @Override
        public Integer call() throws Exception {
            try (Node node = data.open(); var target = new Closing(backup.settings().openTarget(data.dataDir))) {
                AliasRecord alias = node.control().alias(Addresses.address(address)).orElseThrow(() -> StoreException.notFound("no such alias"));
                for (Manifest m : backup.settings().service(node, target.target).versions(alias.id())) {
                    spec.commandLine().getOut().println(m.version() + "  " + m.created() + "  " + m.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + "  " + m.size());
                }
            }
            return ExitCodes.OK;
        }
    }

    /** Closes a target that holds resources (an S3 client). */
    record Closing(BackupTarget target) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (target instanceof AutoCloseable c) c.close();
        }
    }
}
