package dev.postvault.backup;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server for tests: s3proxy in this JVM on 127.0.0.1, storing objects in a directory,
 * checking AWS signatures (V2 or V4) against a test key pair. Not a mock: every request goes over
 * HTTP through the AWS SDK and s3proxy's S3 implementation.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "postvault-test-access";
    public static final String SECRET_KEY = "postvault-test-secret-key-0123456789";

    private final S3Proxy proxy;
    public final Path dir;

    public S3TestServer(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) Thread.sleep(10);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** A bucket made for the caller (s3proxy's filesystem store keeps a bucket as a directory). */
    public S3Target.Settings bucket(String name, String prefix) throws Exception {
        Files.createDirectories(dir.resolve(name));
        return new S3Target.Settings(Optional.of(endpoint()), "us-east-1", name, prefix, true, ACCESS_KEY, SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
