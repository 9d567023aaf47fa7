package dev.postvault.server.cli;

import dev.postvault.backup.transfer.Export;
import dev.postvault.server.Node;
import dev.postvault.store.account.Unlocked;
import dev.postvault.store.mailbox.Mailbox;
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

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write an alias's mail to a file for its owner (mode 0600; the password is read from stdin).",
            "mbox: one folder (--folder, INBOX by default) in mboxrd form.",
            "eml-zip: every folder, one FOLDER/UID.eml entry per message, byte for byte.",
            "sqlite: the whole mailbox as a SQLite3MultipleCiphers file that opens with cipher=chacha20 and the password alone."})
final class ExportCommand implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ADDRESS") String address;

    @Option(names = "--format", required = true, paramLabel = "mbox|eml-zip|sqlite") String format;
    @Option(names = "--output", required = true, paramLabel = "FILE") Path output;
    @Option(names = "--folder", paramLabel = "NAME", defaultValue = "INBOX", description = "The folder of an mbox export (default: ${DEFAULT-VALUE}).")
    String folder;

    @Option(names = "--password-stdin", required = true, description = "Read the alias's password from standard input (required).")
    boolean passwordStdin;

    @Override
    public Integer call() throws Exception {
        Export.Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "mbox" -> Export.Format.MBOX;
            case "eml-zip" -> Export.Format.EML_ZIP;
            case "sqlite" -> Export.Format.SQLITE;
            default -> throw new Main.CliException(ExitCodes.USAGE, "unknown format " + format + " (mbox, eml-zip or sqlite)");
        };
        String password = AliasCommand.StdinLines.read(1)[0];
        try (Node node = data.open()) {
            Unlocked u = node.accounts().login(address, password);
            try (Mailbox m = node.mailboxes().open(u.alias().id(), u.dek())) {
                node.spool().drain(m); // mail waiting in the spool belongs in the export too
                var progress = new Progress(spec.commandLine().getErr(), "export", Export.count(m, f, folder));
                var r = Export.write(m, f, output, folder, Optional.of(password), i -> progress.step(""));
                spec.commandLine().getOut().println("exported " + r.messages() + (f == Export.Format.SQLITE ? " mailbox" : " messages")
                        + " (" + r.bytes() + " bytes) to " + output);
            }
        }
        return ExitCodes.OK;
    }
}
