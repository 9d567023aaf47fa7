package dev.postvault.server.cli;

import dev.postvault.backup.MailboxBackups;
import dev.postvault.backup.Manifest;
import dev.postvault.crypto.SecretKey32;
import dev.postvault.server.MailboxHolds;
import dev.postvault.server.Node;
import dev.postvault.server.ServerLock;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.control.Addresses;
import dev.postvault.store.control.AliasRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Put a backup version of an alias's mailbox in place of the current one.",
            "The version is downloaded and checked against its checksum (and, with --password-stdin, opened",
            "and integrity-checked) before anything changes; the swap is atomic and the current file is kept",
            "until it has succeeded. A running server first lets go of the mailbox: its sessions end."})
final class RestoreCommand implements Callable<Integer> {
    private static final Duration SERVER_WAIT = Duration.ofSeconds(30);

    @Mixin DataDirOption data;
    @Mixin BackupOptions backup;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ADDRESS") String address;

    @Option(names = "--version", paramLabel = "ID", required = true, description = "The version id from 'backup list'.")
    String version;

    @Option(names = "--password-stdin", description = "Read the alias's password and verify the version with it before the swap.")
    boolean passwordStdin;

    @Override
    public Integer call() throws Exception {
        Optional<String> password = passwordStdin ? Optional.of(AliasCommand.StdinLines.read(1)[0]) : Optional.empty();
        try (Node node = data.open(); var target = new BackupCommand.Closing(backup.settings().openTarget(data.dataDir))) {
            AliasRecord alias = node.control().alias(Addresses.address(address)).orElseThrow(() -> StoreException.notFound("no such alias"));
            MailboxBackups service = backup.settings().service(node, target.target());
            Path file = node.mailboxes().file(alias.id());
            Path incoming = file.resolveSibling(file.getFileName() + ".restoring");
            try {
                Manifest m = service.fetch(alias.id(), version, incoming);
                String check = "checksum verified";
                if (password.isPresent()) {
                    SecretKey32 dek = dek(node, alias, m, password.get());
                    node.mailboxes().verifyCopy(incoming, dek);
                    check = "opened with the password and integrity-checked";
                } else if (m.kind() == Manifest.Kind.SNAPSHOT) {
                    check = "checksum verified; integrity-checked when it was taken";
                }
                swap(node, alias.id(), incoming);
                spec.commandLine().getOut().println("restored " + alias.address() + " to version " + m.version() + " (" + check + ")");
            } finally {
                Files.deleteIfExists(incoming);
            }
        }
        return ExitCodes.OK;
    }

    /** The DEK: the current password opens it; so does the password the version was taken under. */
    private static SecretKey32 dek(Node node, AliasRecord alias, Manifest m, String password) {
        try {
            return node.accounts().login(alias.address(), password).dek();
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.AUTHENTICATION_FAILED) throw e;
            return Accounts.unwrap(alias.id(), m.credentials(), password);
        }
    }

    /** Swaps the file, holding the data directory alone, or with a running server's consent. */
    private void swap(Node node, String aliasId, Path incoming) {
        Optional<ServerLock> lock = ServerLock.tryAcquire(data.dataDir);
        if (lock.isPresent()) {
            try (ServerLock l = lock.get()) {
                node.mailboxes().replace(aliasId, incoming);
            }
            return;
        }
        spec.commandLine().getErr().println("restore: asking the running server to let go of the mailbox");
        spec.commandLine().getErr().flush();
        try (var hold = MailboxHolds.request(data.dataDir, aliasId, SERVER_WAIT)) {
            node.mailboxes().replace(aliasId, incoming);
        } catch (IllegalStateException e) {
            throw new Main.CliException(ExitCodes.TEMPORARY, e.getMessage());
        }
    }
}
