package dev.postvault.bench;

import dev.postvault.server.Node;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Creates PREFIX1@DOMAIN ... PREFIXn@DOMAIN with one password in one JVM, for load tests that log in
 * as many users (imaptest's user=PREFIX%d@DOMAIN). Usage: CreateAliases DATA-DIR DOMAIN PREFIX N PASSWORD
 */
public final class CreateAliases {
    private CreateAliases() {}

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        int n = Integer.parseInt(args[3]);
        try (Node node = Node.open(data, Node.Settings.DEFAULT)) {
            if (!node.control().hasDomain(args[1])) node.control().addDomain(args[1]);
            for (int i = 1; i <= n; i++) node.accounts().createAlias(args[2] + i + "@" + args[1], Optional.of(args[4]), false);
        }
        System.out.println("created " + n + " aliases");
    }
}
