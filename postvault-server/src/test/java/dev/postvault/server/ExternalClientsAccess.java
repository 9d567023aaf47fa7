package dev.postvault.server;

import java.nio.file.Path;

/** {@link ExternalClients} for tests in other packages. */
public final class ExternalClientsAccess {
    private ExternalClientsAccess() {}

    public static Path caFile(ServerFixture fx, Path dir) throws Exception {
        return ExternalClients.caFile(fx, dir);
    }
}
