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
        subcommands = {DomainCommand.Add.class, DomainCommand.List.class, DomainCommand.Remove.class})
final class DomainCommand {
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a domain.")
    static final class Add implements Callable<Integer> {
        @Mixin DataDirOption data;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            String d = Addresses.domain(name);
            try (Node node = data.open()) {
                node.control().addDomain(d);
            }
            spec.commandLine().getOut().println("added domain " + d);
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
}
