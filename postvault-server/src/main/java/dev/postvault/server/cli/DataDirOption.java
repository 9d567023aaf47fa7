package dev.postvault.server.cli;

import dev.postvault.server.Node;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, shared by every command. */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Data directory (default: ${DEFAULT-VALUE}; env POSTVAULT_DATA_DIR).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file of name=value lines (default: DIR/postvault.conf if present; env POSTVAULT_CONFIG).")
    Path config;

    Node open() {
        return Node.open(dataDir, Node.Settings.DEFAULT);
    }
}
