package dev.postvault.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the foundation benchmarks and prints machine facts, timings and targets.
 *
 * <pre>
 * usage: FoundationBench [--dir PARENT] [--messages N] [--pipeline-messages M] [--sealers K] [--only open,login,spool,attachment]
 *                        [--strict] [--diagnose]
 *   --dir                where the temporary data directories go (default: java.io.tmpdir); fsync cost
 *                        depends on this file system
 *   --messages           messages in the sequential spool measurement (default 2000)
 *   --pipeline-messages  messages in the concurrent spool pipeline (default 6000: the run then lasts
 *                        about 10 s, so the 1.5-3 s of JIT compiling every run still sees on two
 *                        cores, whatever the warm-up, is not most of what it measures)
 *   --sealers            threads enqueuing at once in the concurrent spool pipeline (default 8)
 *   --only      run a subset
 *   --strict    exit with status 2 when a target is missed
 *   --diagnose  also run the spool experiments of {@link SpoolDiagnosis} (about a minute more)
 * </pre>
 *
 * Exit status: 0 done, 1 a benchmark found mail lost or altered (its numbers are void), 2 a target
 * missed under {@code --strict}, 64 bad usage.
 */
public final class FoundationBench {
    static final Set<String> BENCHMARKS = Set.of("open", "login", "spool", "attachment");

    record Options(Path dir, int messages, int pipelineMessages, int sealers, Set<String> only, boolean strict, boolean diagnose) {
        static Options parse(String[] args) {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            int messages = 2000;
            int pipelineMessages = 6000;
            int sealers = SpoolBench.DEFAULT_SEALERS;
            Set<String> only = BENCHMARKS;
            boolean strict = false;
            boolean diagnose = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(value(args, ++i));
                    case "--messages" -> messages = Integer.parseInt(value(args, ++i));
                    case "--pipeline-messages" -> pipelineMessages = Integer.parseInt(value(args, ++i));
                    case "--sealers" -> sealers = Integer.parseInt(value(args, ++i));
                    case "--only" -> only = Set.of(value(args, ++i).split(","));
                    case "--strict" -> strict = true;
                    case "--diagnose" -> diagnose = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (messages < 1 || pipelineMessages < 1) throw new IllegalArgumentException("message counts must be at least 1");
            if (sealers < 1) throw new IllegalArgumentException("--sealers must be at least 1");
            if (!BENCHMARKS.containsAll(only)) throw new IllegalArgumentException("--only takes " + String.join(",", BENCHMARKS));
            return new Options(dir, messages, pipelineMessages, sealers, only, strict, diagnose);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
            return args[i];
        }
    }

    private FoundationBench() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FoundationBench: " + e.getMessage());
            System.err.println("usage: FoundationBench [--dir PARENT] [--messages N] [--pipeline-messages M] [--sealers K]"
                    + " [--only open,login,spool,attachment] [--strict] [--diagnose]");
            System.exit(64);
            return;
        }
        PrintStream out = System.out;
        var report = new Report(out);
        out.println("Postvault foundation benchmarks");
        machineFacts(options.dir()).forEach(line -> out.println("   " + line));
        Instant start = Instant.now();
        try {
            if (options.only().contains("open")) {
                conditions(out, options.dir());
                MailboxOpenBench.report(MailboxOpenBench.run(options.dir()), report);
            }
            if (options.only().contains("login")) {
                conditions(out, options.dir());
                LoginBench.report(LoginBench.run(options.dir()), report);
            }
            if (options.only().contains("spool")) {
                conditions(out, options.dir());
                SpoolBench.report(SpoolBench.run(options.dir(), options.messages()), report);
                conditions(out, options.dir());
                SpoolBench.reportConcurrent(SpoolBench.runConcurrent(options.dir(), options.pipelineMessages(), options.sealers()), report);
                if (options.diagnose()) SpoolDiagnosis.report(SpoolDiagnosis.run(options.dir()), report);
            }
            if (options.only().contains("attachment")) {
                conditions(out, options.dir());
                AttachmentBench.report(AttachmentBench.run(options.dir()), report);
            }
        } catch (BenchmarkFailure e) {
            out.flush();
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            System.err.println("The store lost or altered mail; the numbers above are void.");
            System.exit(1);
            return;
        }
        out.println();
        conditions(out, options.dir());
        report.summary();
        out.println("   total run time " + Duration.between(start, Instant.now()).truncatedTo(ChronoUnit.MILLIS).toString().substring(2).toLowerCase(Locale.ROOT));
        boolean missed = report.targets().stream().anyMatch(t -> !t.met());
        System.exit(options.strict() && missed ? 2 : 0);
    }

    private static void conditions(PrintStream out, Path dir) {
        out.println();
        out.println("-- " + MachineProbe.conditions(dir));
    }

    /** Date, cores, CPU, JDK, OS, heap and the file system the data directories live on. */
    static List<String> machineFacts(Path dir) {
        Runtime rt = Runtime.getRuntime();
        List<String> facts = new ArrayList<>();
        facts.add("date       " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        facts.add("cores      " + rt.availableProcessors() + cpuModel().map(m -> " (" + m + ")").orElse(""));
        facts.add("jdk        " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + Runtime.version());
        facts.add("os         " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        facts.add("max heap   " + rt.maxMemory() / (1024 * 1024) + " MiB");
        facts.add("data dir   " + dir.toAbsolutePath() + fileSystem(dir).map(fs -> " (" + fs + ")").orElse(""));
        return facts;
    }

    private static Optional<String> cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return Optional.empty();
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip());
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> fileSystem(Path dir) {
        try {
            var store = Files.getFileStore(Files.exists(dir) ? dir : dir.toAbsolutePath().getRoot());
            return Optional.of(store.type() + " on " + store.name());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
