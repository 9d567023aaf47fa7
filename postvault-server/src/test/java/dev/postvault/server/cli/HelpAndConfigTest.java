package dev.postvault.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help}/{@code --version} everywhere, and where options come from: flag, environment, config file. */
class HelpAndConfigTest {
    @TempDir Path tmp;

    // ---- help --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "domain", "domain add", "domain list", "domain remove",
        "alias", "alias add", "alias list", "alias remove", "alias passwd", "serve"})
    void helpOnEveryCommandExitsZeroAndPrintsUsage(String path) {
        Path data = tmp.resolve("data");
        List<String> words = path.isEmpty() ? List.of() : List.of(path.split(" "));
        for (String flag : new String[] {"--help", "-h"}) {
            List<String> args = new ArrayList<>(words);
            args.add(flag);
            if (!words.isEmpty()) args.addAll(List.of("--data-dir", data.toString()));
            Cli.Result r = Cli.run(Map.of(), args.toArray(String[]::new));

            assertThat(r.exitCode()).as(args + ": " + r).isZero();
            assertThat(r.out()).as(args.toString()).startsWith("Usage: postvault" + (path.isEmpty() ? "" : " " + path) + " ");
            assertThat(r.out()).contains("-h, --help");
            assertThat(r.err()).isEmpty();
        }
        // Asking for help opens nothing.
        assertThat(data).doesNotExist();
    }

    @Test
    void helpListsSubcommandsAndOptions() {
        assertThat(Cli.run(Map.of(), "--help").out()).contains("serve", "domain", "alias");
        assertThat(Cli.run(Map.of(), "domain", "--help").out()).contains("add", "list", "remove");
        assertThat(Cli.run(Map.of(), "alias", "--help").out()).contains("add", "list", "remove", "passwd");
        assertThat(Cli.run(Map.of(), "alias", "add", "--help").out()).contains("--password-stdin", "--recovery-key", "--data-dir", "--config");
        assertThat(Cli.run(Map.of(), "serve", "--help").out()).contains("--imap-port", "--smtp-port", "--bind", "--hostname");
    }

    // picocli's help command looks at its first word only, so "help alias add" shows the help of "alias".
    @ParameterizedTest
    @ValueSource(strings = {"domain", "alias", "serve"})
    void helpSubcommandPrintsTheSameUsage(String path) {
        List<String> args = new ArrayList<>(List.of("help"));
        args.addAll(List.of(path.split(" ")));
        Cli.Result viaHelp = Cli.run(Map.of(), args.toArray(String[]::new));
        List<String> flagArgs = new ArrayList<>(List.of(path.split(" ")));
        flagArgs.add("--help");
        Cli.Result viaFlag = Cli.run(Map.of(), flagArgs.toArray(String[]::new));

        assertThat(viaHelp.exitCode()).as(viaHelp.toString()).isZero();
        assertThat(viaHelp.out()).isEqualTo(viaFlag.out());
    }

    @Test
    void versionExitsZero() {
        Cli.Result r = Cli.run(Map.of(), "--version");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("postvault ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"domain", "alias"})
    void groupWithoutSubcommandIsAUsageError(String group) {
        Cli.Result r = Cli.run(Map.of(), group, "--data-dir", tmp.resolve("data").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out() + r.err()).contains("Usage: postvault " + group);
    }

    @Test
    void noArgumentsIsAUsageError() {
        Cli.Result r = Cli.run(Map.of());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.out() + r.err()).contains("Usage: postvault");
    }

    // ---- where --data-dir comes from ---------------------------------------------------------------

    private static List<String> domains(Path dataDir) {
        Cli.Result r = Cli.run(Map.of(), "domain", "list", "--data-dir", dataDir.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.outLines();
    }

    @Test
    void dataDirFromEnvironment() {
        Path envDir = tmp.resolve("from-env");

        Cli.Result r = Cli.run(Map.of("POSTVAULT_DATA_DIR", envDir.toString()), "domain", "add", "env.example");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(domains(envDir)).containsExactly("env.example");
        assertThat(Cli.run(Map.of("POSTVAULT_DATA_DIR", envDir.toString()), "domain", "list").outLines()).containsExactly("env.example");
    }

    @Test
    void flagWinsOverEnvironment() {
        Path envDir = tmp.resolve("from-env");
        Path flagDir = tmp.resolve("from-flag");

        Cli.Result r = Cli.run(Map.of("POSTVAULT_DATA_DIR", envDir.toString()), "domain", "add", "flag.example", "--data-dir", flagDir.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(domains(flagDir)).containsExactly("flag.example");
        assertThat(envDir).doesNotExist();
    }

    @Test
    void flagWithEqualsSignIsUnderstood() {
        Path flagDir = tmp.resolve("from-flag");
        Cli.Result r = Cli.run(Map.of(), "domain", "add", "flag.example", "--data-dir=" + flagDir);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(domains(flagDir)).containsExactly("flag.example");
    }

    @Test
    void dataDirFromConfigFileGivenByFlagOrEnvironment() throws IOException {
        Path fileDir = tmp.resolve("from-file");
        Path conf = Files.writeString(tmp.resolve("postvault.conf"), "# comment\ndata-dir = " + fileDir + "  \n");

        Cli.Result byFlag = Cli.run(Map.of(), "domain", "add", "one.example", "--config", conf.toString());
        assertThat(byFlag.exitCode()).as(byFlag.toString()).isZero();
        Cli.Result byEnv = Cli.run(Map.of("POSTVAULT_CONFIG", conf.toString()), "domain", "add", "two.example");
        assertThat(byEnv.exitCode()).as(byEnv.toString()).isZero();

        assertThat(domains(fileDir)).containsExactly("one.example", "two.example");
    }

    @Test
    void environmentWinsOverConfigFileAndFlagWinsOverBoth() throws IOException {
        Path fileDir = tmp.resolve("from-file");
        Path envDir = tmp.resolve("from-env");
        Path flagDir = tmp.resolve("from-flag");
        Path conf = Files.writeString(tmp.resolve("postvault.conf"), "data-dir=" + fileDir + "\n");
        Map<String, String> env = Map.of("POSTVAULT_CONFIG", conf.toString(), "POSTVAULT_DATA_DIR", envDir.toString());

        assertThat(Cli.run(env, "domain", "add", "env.example").exitCode()).isZero();
        assertThat(Cli.run(env, "domain", "add", "flag.example", "--data-dir", flagDir.toString()).exitCode()).isZero();

        assertThat(domains(envDir)).containsExactly("env.example");
        assertThat(domains(flagDir)).containsExactly("flag.example");
        assertThat(fileDir).doesNotExist();
    }

    @Test
    void outboundTrustedRootsOrAResolverUrlThatCannotBeUsedAreAUsageErrorBeforeAnythingListens() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("roots-data"));
        Cli.Result missing = Cli.run(Map.of(), "serve", "--data-dir", data.toString(), "--outbound-trusted-roots", tmp.resolve("none.pem").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--outbound-trusted-roots: cannot read");
        Path notPem = Files.writeString(tmp.resolve("not.pem"), "this is not a certificate\n");
        Cli.Result garbage = Cli.run(Map.of(), "serve", "--data-dir", data.toString(), "--outbound-trusted-roots", notPem.toString());
        assertThat(garbage.exitCode()).as(garbage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbage.err()).contains("--outbound-trusted-roots");
        Cli.Result plainHttp = Cli.run(Map.of(), "serve", "--data-dir", data.toString(), "--outbound-resolver", "http://127.0.0.1/dns-query");
        assertThat(plainHttp.exitCode()).as(plainHttp.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(plainHttp.err()).contains("needs an https:// URL");
    }

    // ---- DIR/postvault.conf and POSTVAULT_<OPTION>, seen through serve's port check ----------------
    // Ports out of range are refused before anything listens, so serve returns at once and its
    // message names the port that won. IMAPS is set out of range in the environment as a tripwire:
    // if the IMAP value did not come through, the check stops at IMAPS instead of starting a server.

    private Cli.Result serve(Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(Arrays.asList(extra));
        var withTripwire = new java.util.HashMap<>(env);
        withTripwire.put("POSTVAULT_IMAPS_PORT", "99999");
        return Cli.run(withTripwire, args.toArray(String[]::new));
    }

    @Test
    void configFileInsideTheDataDirIsRead() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("postvault.conf"), "imap-port=70001\n");

        Cli.Result viaFlag = serve(Map.of(), "--data-dir", data.toString());
        assertThat(viaFlag.exitCode()).as(viaFlag.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(viaFlag.err()).contains("70001");

        Cli.Result viaEnv = serve(Map.of("POSTVAULT_DATA_DIR", data.toString()));
        assertThat(viaEnv.exitCode()).as(viaEnv.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(viaEnv.err()).contains("70001");
    }

    @Test
    void optionPrecedenceIsFlagThenEnvironmentThenConfigFile() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("postvault.conf"), "imap-port=70001\n");
        String dir = data.toString();

        Cli.Result fromEnv = serve(Map.of("POSTVAULT_IMAP_PORT", "70002"), "--data-dir", dir);
        assertThat(fromEnv.err()).as(fromEnv.toString()).contains("70002").doesNotContain("70001");

        Cli.Result fromFlag = serve(Map.of("POSTVAULT_IMAP_PORT", "70002"), "--data-dir", dir, "--imap-port", "70003");
        assertThat(fromFlag.err()).as(fromFlag.toString()).contains("70003").doesNotContain("70002");
        assertThat(fromFlag.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void explicitConfigFileReplacesTheOneInTheDataDir() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("postvault.conf"), "imap-port=70001\n");
        Path other = Files.writeString(tmp.resolve("other.conf"), "imap-port=70004\n");

        Cli.Result r = serve(Map.of(), "--data-dir", data.toString(), "--config", other.toString());

        assertThat(r.err()).as(r.toString()).contains("70004").doesNotContain("70001");
    }

    @Test
    void aPageCacheOutsideItsRangeIsRefusedBeforeAnythingListens() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("cache"));
        for (String size : List.of("1k", "auto", "lots")) {
            Cli.Result r = Cli.run(Map.of(), "serve", "--data-dir", data.toString(), "--mailbox-page-cache", size);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains(size).doesNotContainIgnoringCase("unknown option");
        }
        Cli.Result negative = Cli.run(Map.of("POSTVAULT_MAILBOX_KEY_CACHE", "-1"), "serve", "--data-dir", data.toString());
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err()).contains("--mailbox-key-cache must not be negative");
        Cli.Result linger = Cli.run(Map.of("POSTVAULT_MAILBOX_LINGER", "soon"), "serve", "--data-dir", data.toString());
        assertThat(linger.exitCode()).as(linger.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(linger.err()).contains("bad duration: soon");
        Cli.Result lingerMax = Cli.run(Map.of(), "serve", "--data-dir", data.toString(), "--mailbox-linger-max", "-2");
        assertThat(lingerMax.exitCode()).as(lingerMax.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(lingerMax.err()).contains("--mailbox-linger-max must not be negative");
    }

    @Test
    void theCapComesFromFlagEnvironmentOrConfigFile() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("cfg"));
        // A limit of 0 is refused before anything listens; the refusal shows the value arrived.
        Cli.Result fromFlag = Cli.run(Map.of(), "serve", "--data-dir", data.toString(), "--imap-max-connections", "0");
        Cli.Result fromEnv = Cli.run(Map.of("POSTVAULT_POP3_MAX_CONNECTIONS", "0"), "serve", "--data-dir", data.toString());
        Files.writeString(data.resolve("postvault.conf"), "smtp-max-connections=0\n");
        Cli.Result fromFile = Cli.run(Map.of(), "serve", "--data-dir", data.toString());
        for (Cli.Result r : List.of(fromFlag, fromEnv, fromFile)) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("connection limits must be positive");
        }
    }

    @Test
    void diskReserveIsASize() {
        assertThat(ServeCommand.bytes("auto")).isEqualTo(dev.postvault.store.DiskSpace.AUTO);
        assertThat(ServeCommand.bytes("0")).isZero();
        assertThat(ServeCommand.bytes("512k")).isEqualTo(512L * 1024);
        assertThat(ServeCommand.bytes("64M")).isEqualTo(64L * 1024 * 1024);
        assertThat(ServeCommand.bytes("2g")).isEqualTo(2L * 1024 * 1024 * 1024);
        Cli.Result r = Cli.run(Map.of("POSTVAULT_DISK_RESERVE", "lots"), "serve", "--data-dir", tmp.resolve("data").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not a size: lots");
    }

    @Test
    void malformedNumberFromEnvironmentIsAUsageError() {
        Cli.Result r = Cli.run(Map.of("POSTVAULT_IMAP_PORT", "not-a-number"), "serve", "--data-dir", tmp.resolve("data").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not-a-number");
    }

    @ParameterizedTest
    @CsvSource({"POSTVAULT_VERSION, 0.1.0", "POSTVAULT_VERSION, true", "POSTVAULT_HELP, 1", "POSTVAULT_HELP, true"})
    void unrelatedEnvironmentVariablesNamedLikeStandardOptionsChangeNothing(String name, String value) {
        // Deployments commonly export e.g. POSTVAULT_VERSION for the image tag; --version and --help are
        // not configuration and must not pick such values up.
        Path data = tmp.resolve("data");

        Cli.Result r = Cli.run(Map.of(name, value), "domain", "add", "example.org", "--data-dir", data.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("added domain example.org (DNS records: postvault domain dns example.org)");
        assertThat(domains(data)).containsExactly("example.org");
    }

    @Test
    void missingConfigFileIsReportedWithAnExitCode() {
        Path missing = tmp.resolve("no-such.conf");

        // Main.run must report, not throw: bin/postvault would otherwise die with a stack trace.
        Cli.Result r = Cli.run(Map.of(), "domain", "list", "--data-dir", tmp.resolve("data").toString(), "--config", missing.toString());

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err()).startsWith("postvault: ").contains("no-such.conf");
    }
}
