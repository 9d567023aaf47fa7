package dev.postvault.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.postvault.store.control.AliasRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 clients people actually use against the running server: Python's poplib, curl, getmail6 and
 * fetchmail, over implicit TLS and STLS, each verifying the server certificate. Mail arrives the
 * MX's way (sealed in the spool) and must come out intact. Skipped where a tool is not installed
 * ({@code .ci/run} installs them on CI).
 */
class RealPop3ClientsTest {
    private static final String USER = "hello@example.org";

    @TempDir Path dir;
    private ServerFixture fx;
    private String password;
    private Path caFile;
    private final List<byte[]> delivered = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(dir.resolve("data"));
        fx.node().control().addDomain("example.org");
        password = fx.node().accounts().createAlias(USER, Optional.empty(), false).password();
        caFile = ExternalClients.caFile(fx, dir);
        AliasRecord alias = fx.node().control().alias(USER).orElseThrow();
        for (int i = 1; i <= 3; i++) {
            byte[] raw = ("From: Alice <alice@sender.example>\r\nTo: " + USER + "\r\nSubject: pop message " + i
                    + "\r\nMessage-ID: <pop" + i + "@sender.example>\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\nline one of " + i + "\r\n.a line with a leading dot\r\nGr\u00fc\u00dfe \u00e9t\u00e9\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            fx.node().spool().enqueue(alias, new ByteArrayInputStream(raw), Instant.now());
            delivered.add(raw);
        }
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void pythonPoplibOverPop3sAndStls() throws Exception {
        assumeTrue(ExternalClients.onPath("python3"), "python3 not installed");
        String script = """
                import poplib, ssl, sys
                ctx = ssl.create_default_context(cafile=sys.argv[3])
                m = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ctx)
                m.user('hello@example.org'); m.pass_(sys.argv[4])
                count, size = m.stat()
                assert count == 3, count
                caps = m.capa()
                assert 'UIDL' in caps and 'TOP' in caps and 'PIPELINING' in caps, caps
                uids = [l.split()[1] for l in m.uidl()[1]]
                out = sys.stdout.buffer
                for i in range(1, count + 1):
                    resp, lines, octets = m.retr(i)
                    out.write(b'\\r\\n'.join(lines) + b'\\r\\n' + b'\\x00')
                m.dele(3)
                m.quit()
                m = poplib.POP3('127.0.0.1', int(sys.argv[2]))
                m.stls(context=ctx)
                m.user('hello@example.org'); m.pass_(sys.argv[4])
                assert m.stat()[0] == 2
                assert [l.split()[1] for l in m.uidl()[1]] == uids[:2]
                resp, lines, octets = m.top(1, 1)
                assert lines[-1] == b'line one of 1', lines
                m.quit()
                """;
        byte[] out = ExternalClients.run(List.of("python3", "-c", script, String.valueOf(fx.server.port("pop3s")),
                String.valueOf(fx.server.port("pop3")), caFile.toString(), password), Map.of());
        List<byte[]> got = split(out);
        assertThat(got).hasSize(3);
        for (int i = 0; i < 3; i++) assertThat(new String(got.get(i), StandardCharsets.UTF_8)).isEqualTo(new String(delivered.get(i), StandardCharsets.UTF_8));
    }

    @Test
    void curlRetrievesOverPop3sAndStls() throws Exception {
        assumeTrue(ExternalClients.onPath("curl"), "curl not installed");
        String list = new String(ExternalClients.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(),
                "pop3s://127.0.0.1:" + fx.server.port("pop3s") + "/", "-u", USER + ":" + password), Map.of()), StandardCharsets.UTF_8);
        assertThat(list.lines().toList()).containsExactly("1 " + delivered.get(0).length, "2 " + delivered.get(1).length, "3 " + delivered.get(2).length);
        byte[] second = ExternalClients.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), "--ssl-reqd",
                "pop3://127.0.0.1:" + fx.server.port("pop3") + "/2", "-u", USER + ":" + password), Map.of());
        assertThat(second).isEqualTo(delivered.get(1)); // curl undoes the dot-stuffing
    }

    @Test
    void getmail6RetrievesAndDeletes() throws Exception {
        assumeTrue(ExternalClients.onPath("getmail"), "getmail6 not installed");
        Path outDir = Files.createDirectories(dir.resolve("fetched"));
        Path rc = dir.resolve("getmailrc");
        Files.writeString(rc, """
                [retriever]
                type = SimplePOP3SSLRetriever
                server = 127.0.0.1
                port = %d
                username = %s
                password = %s
                ca_certs = %s
                [destination]
                type = MDA_external
                path = /bin/sh
                arguments = ("-c", "cat > $(mktemp %s/msg-XXXXXX)")
                allow_root_commands = true
                unixfrom = false
                [options]
                delete = true
                read_all = true
                delivered_to = false
                received = false
                verbose = 0
                """.formatted(fx.server.port("pop3s"), USER, password, caFile, outDir));
        ExternalClients.run(List.of("getmail", "--getmaildir", dir.toString(), "--rcfile", rc.toString()), Map.of());
        assertDeliveredInto(outDir);
        String again = new String(ExternalClients.run(List.of("python3", "-c", """
                import poplib, ssl, sys
                m = poplib.POP3_SSL('127.0.0.1', int(sys.argv[1]), context=ssl.create_default_context(cafile=sys.argv[2]))
                m.user('hello@example.org'); m.pass_(sys.argv[3]); print(m.stat()[0]); m.quit()
                """, String.valueOf(fx.server.port("pop3s")), caFile.toString(), password), Map.of()), StandardCharsets.UTF_8);
        assertThat(again.strip()).isEqualTo("0");
    }

    @Test
    void fetchmailRetrievesWithCertificateCheckAndKeepsNothing() throws Exception {
        assumeTrue(ExternalClients.onPath("fetchmail"), "fetchmail not installed");
        Path outDir = Files.createDirectories(dir.resolve("fetched"));
        Path rc = dir.resolve("fetchmailrc");
        Files.writeString(rc, """
                set no bouncemail
                set no syslog
                poll localhost service %d protocol POP3 auth password timeout 30
                  user "%s" there password "%s"
                  ssl sslcertck sslcertfile "%s"
                  mda "/bin/sh -c 'cat > $(mktemp %s/msg-XXXXXX)'"
                  no keep fetchall
                """.formatted(fx.server.port("pop3s"), USER, password, caFile, outDir));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        ExternalClients.run(List.of("fetchmail", "--nodetach", "--silent", "-f", rc.toString(), "--pidfile", dir.resolve("fetchmail.pid").toString()),
                Map.of("HOME", dir.toString(), "FETCHMAILHOME", dir.toString()));
        assertDeliveredInto(outDir);
    }

    /** Every delivered message arrived in {@code outDir}, after whatever headers the client put in front, with LF line ends. */
    private void assertDeliveredInto(Path outDir) throws IOException {
        List<String> got;
        try (Stream<Path> files = Files.list(outDir)) {
            got = files.map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(got).hasSize(delivered.size());
        for (byte[] raw : delivered) {
            String expected = new String(raw, StandardCharsets.UTF_8).replace("\r\n", "\n");
            assertThat(got).anySatisfy(g -> assertThat(g).endsWith(expected));
        }
    }

    private static List<byte[]> split(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(java.util.Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        return out;
    }
}
