package dev.postvault.backup;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real S3 server (s3proxy) over HTTP with signed requests. */
class S3TargetTest implements BackupTargetContract {
    @TempDir static Path serverDir;
    @TempDir Path dir;
    static S3TestServer server;
    static int bucketCounter;
    S3Target target;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3TestServer(serverDir.resolve("s3"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        target = new S3Target(server.bucket("bucket" + (++bucketCounter), "postvault/"));
    }

    @AfterEach
    void tearDown() {
        target.close();
    }

    @Override
    public BackupTarget target() {
        return target;
    }

    @Override
    public Path scratch() {
        return dir;
    }
}
