package dev.postvault.server.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;

/**
 * Twelve-factor configuration: a flag wins over {@code POSTVAULT_<NAME>} in the environment, which wins
 * over {@code <name>=value} in the config file, which wins over the built-in default. The config file
 * is {@code --config FILE} (or {@code POSTVAULT_CONFIG}), else {@code <data-dir>/postvault.conf} when
 * it exists. Names are the long option without dashes: {@code --imap-port} is {@code POSTVAULT_IMAP_PORT}
 * and {@code imap-port}.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Properties file = new Properties();

    ConfigDefaults(String[] args, Map<String, String> env) {
        this.env = env;
        Optional<Path> config = argValue(args, "--config").or(() -> Optional.ofNullable(env.get("POSTVAULT_CONFIG"))).map(Path::of);
        if (config.isEmpty()) {
            Path dataDir = Path.of(argValue(args, "--data-dir").orElse(env.getOrDefault("POSTVAULT_DATA_DIR", "data")));
            Path candidate = dataDir.resolve("postvault.conf");
            if (Files.isRegularFile(candidate)) config = Optional.of(candidate);
        }
        config.ifPresent(p -> {
            try (Reader r = Files.newBufferedReader(p)) {
                file.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + p + ": " + e.getClass().getSimpleName(), e);
            }
        });
    }

    /**
     * Environment and file apply to the data directory, the config file and the server's settings;
     * never to --help/--version or to per-command flags such as {@code alias list --domain}, which an
     * unrelated {@code POSTVAULT_DOMAIN} in the environment must not change silently.
     */
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec spec) {
        if (!(spec instanceof CommandLine.Model.OptionSpec opt)) return null;
        if (opt.usageHelp() || opt.versionHelp()) return null;
        String name = opt.longestName().replaceFirst("^--", "");
        boolean configurable = name.equals("data-dir") || name.equals("config") || name.startsWith("backup-")
                || (opt.command() != null && opt.command().name().equals("serve"));
        if (!configurable) return opt.defaultValue();
        String fromEnv = env.get("POSTVAULT_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (fromEnv != null) return fromEnv;
        String fromFile = file.getProperty(name);
        return fromFile != null ? fromFile.strip() : opt.defaultValue();
    }

    private static Optional<String> argValue(String[] args, String option) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option) && i + 1 < args.length) return Optional.of(args[i + 1]);
            if (args[i].startsWith(option + "=")) return Optional.of(args[i].substring(option.length() + 1));
        }
        return Optional.empty();
    }
}
