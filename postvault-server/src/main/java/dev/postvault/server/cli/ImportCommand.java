package dev.postvault.server.cli;

import dev.postvault.backup.transfer.ImapSource;
import dev.postvault.backup.transfer.Import;
import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Bring mail into an alias's mailbox, keeping folders, flags and internal dates.",
            "Standard input: the alias's password; with --from imap, the remote password on the second line.",
            "Running the same import again stores nothing twice."})
final class ImportCommand implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "ADDRESS") String address;
    @Parameters(index = "1", paramLabel = "PATH|URL", description = "mbox file, Maildir directory, or imaps://USER@HOST[:PORT] (imap:// uses STARTTLS).")
    String from;

    @Option(names = "--from", required = true, paramLabel = "mbox|maildir|imap") String kind;
    @Option(names = "--folder", paramLabel = "NAME", defaultValue = "INBOX", description = "Target folder of an mbox import (default: ${DEFAULT-VALUE}).")
    String folder;
    @Option(names = "--imap-ca-file", paramLabel = "PEM", description = "Trust only these certificates for the remote IMAP server.")
    Path caFile;
    @Option(names = "--password-stdin", required = true, description = "Read the password(s) from standard input (required).")
    boolean passwordStdin;

    @Override
    public Integer call() throws Exception {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!k.equals("mbox") && !k.equals("maildir") && !k.equals("imap")) {
            throw new Main.CliException(ExitCodes.USAGE, "unknown source " + kind + " (mbox, maildir or imap)");
        }
        String[] lines = AliasCommand.StdinLines.read(k.equals("imap") ? 2 : 1);
        try (Node node = data.open()) {
            Unlocked u = node.accounts().login(address, lines[0]);
            long max = node.mailboxes().limits().maxMessageBytes();
            try (Mailbox m = node.mailboxes().open(u.alias().id(), u.dek());
                 Import.Source source = switch (k) {
                     case "mbox" -> Import.mbox(Path.of(from), folder, max);
                     case "maildir" -> Import.maildir(Path.of(from), max);
                     default -> ImapSource.connect(URI.create(from), lines[1], Optional.ofNullable(caFile), max);
                 }) {
                var progress = new Progress(spec.commandLine().getErr(), "import", source.total().orElse(0));
                Import.Result r = Import.run(m, source, i -> progress.step(""));
                spec.commandLine().getOut().println("imported " + r.added() + " messages; " + r.alreadyThere() + " were there already"
                        + (r.tooBig() > 0 ? "; " + r.tooBig() + " skipped as too big" : ""));
            }
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(ExitCodes.USAGE, e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Main.CliException(ExitCodes.NOT_FOUND, "no such file: " + e.getFile());
        } catch (java.io.IOException e) {
            throw new Main.CliException(ExitCodes.TEMPORARY, e.getMessage());
        }
        return ExitCodes.OK;
    }
}
