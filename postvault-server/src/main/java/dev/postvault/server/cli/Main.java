package dev.postvault.server.cli;

import dev.postvault.store.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/postvault}. */
@Command(
        name = "postvault",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Privacy-first mail server: every mailbox encrypted under its alias's password.",
        subcommands = {ServeCommand.class, DomainCommand.class, AliasCommand.class, BackupCommand.class, RestoreCommand.class,
            ExportCommand.class, ImportCommand.class, QueueCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv()));
    }

    /** Runs one command line; returns its exit code (used by tests in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        try {
            cl.setDefaultValueProvider(new ConfigDefaults(args, env));
        } catch (java.io.UncheckedIOException e) {
            err.println("postvault: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof StoreException se) {
                cmd.getErr().println("postvault: " + se.getMessage());
                return ExitCodes.of(se);
            }
            if (ex instanceof dev.postvault.backup.BackupException be) {
                cmd.getErr().println("postvault: " + be.getMessage());
                return ExitCodes.of(be);
            }
            if (ex instanceof CliException ce) {
                cmd.getErr().println("postvault: " + ce.getMessage());
                return ce.exitCode();
            }
            cmd.getErr().println("postvault: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return ExitCodes.ERROR;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"postvault " + (v == null ? "development build" : v)};
        }
    }

    /** A command-line failure with its exit code and a message for the user. */
    static final class CliException extends RuntimeException {
        private final int exitCode;

        CliException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
