package dev.postvault.backup;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups in an S3-compatible bucket (AWS SDK v2 with the URL-connection HTTP client). Objects are
 * written with a single PUT, which S3 makes visible only once complete. Every key is placed under
 * {@code prefix}. Thread-safe.
 */
public final class S3Target implements BackupTarget, AutoCloseable {
    /**
     * Where and how to reach the bucket.
     *
     * @param endpoint empty for AWS itself, else e.g. {@code https://s3.example.net}
     * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key} (MinIO, s3proxy)
     */
    public record Settings(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
                           String accessKey, String secretKey) {
        public Settings {
            if (bucket.isBlank()) throw new IllegalArgumentException("an S3 bucket is required");
            if (region.isBlank()) throw new IllegalArgumentException("an S3 region is required");
            prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        }

        @Override
        public String toString() {
            return "Settings[" + endpoint.map(URI::toString).orElse("aws") + ", " + region + ", " + bucket + ", " + prefix + ", secrets redacted]";
        }
    }

    private final Settings settings;
    private final S3Client client;

    public S3Target(Settings settings) {
        this.settings = settings;
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .forcePathStyle(settings.pathStyle())
                // Checksums only where the API requires them: many S3-compatible servers reject the
                // newer default trailers. Our own SHA-256 in each manifest checks every object anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.client = builder.build();
    }

    @Override
    public void put(String key, Path file) {
        call("writing " + key, () -> client.putObject(b -> b.bucket(settings.bucket()).key(full(key)), RequestBody.fromFile(file)));
    }

    @Override
    public void putBytes(String key, byte[] data) {
        call("writing " + key, () -> client.putObject(b -> b.bucket(settings.bucket()).key(full(key)), RequestBody.fromBytes(data)));
    }

    @Override
    public void get(String key, Path dest) {
        call("reading " + key, () -> {
            Files.deleteIfExists(dest);
            return client.getObject(b -> b.bucket(settings.bucket()).key(full(key)), ResponseTransformer.<GetObjectResponse>toFile(dest));
        });
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
        try {
            ResponseBytes<GetObjectResponse> r = call("reading " + key,
                    () -> client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(full(key))));
            return Optional.of(r.asByteArray());
        } catch (BackupException e) {
            if (e.kind() == BackupException.Kind.NOT_FOUND) return Optional.empty();
            throw e;
        }
    }

    @Override
    public List<String> list(String prefix) {
        return call("listing " + prefix, () -> {
            List<String> out = new ArrayList<>();
            for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(full(prefix))).contents()) {
                out.add(o.key().substring(settings.prefix().length()));
            }
            out.sort(null);
            return out;
        });
    }

    @Override
    public void delete(String key) {
        call("deleting " + key, () -> client.deleteObject(b -> b.bucket(settings.bucket()).key(full(key))));
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + "/" + settings.prefix() + settings.endpoint().map(e -> " at " + e).orElse("");
    }

    @Override
    public void close() {
        client.close();
    }

    private String full(String key) {
        return settings.prefix() + key;
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, Call<T> c) {
        try {
            return c.run();
        } catch (NoSuchKeyException e) {
            throw new BackupException(BackupException.Kind.NOT_FOUND, what + ": no such object in " + describe());
        } catch (SdkException e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, what + " at " + describe() + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new BackupException(BackupException.Kind.UNAVAILABLE, what + " failed: " + e.getMessage(), e);
        }
    }
}
