package dev.postvault.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every {@link BackupTarget} does; each implementation's test implements this interface. */
interface BackupTargetContract {
    BackupTarget target();

    Path scratch();

    @Test
    default void filesAndSmallObjectsRoundTrip() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        Path src = Files.write(scratch().resolve("src.bin"), big);
        target().put("mailboxes/a/v1.sqlite", src);
        target().putBytes("mailboxes/a/v1.manifest", "format=x\n".getBytes(StandardCharsets.UTF_8));
        Path back = scratch().resolve("back.bin");
        Files.writeString(back, "stale content to be replaced");
        target().get("mailboxes/a/v1.sqlite", back);
        assertThat(Files.readAllBytes(back)).isEqualTo(big);
        assertThat(target().getBytes("mailboxes/a/v1.manifest")).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("format=x\n"));
    }

    @Test
    default void aMovedFileIsStoredWhole() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(2).nextBytes(data);
        Path src = Files.write(scratch().resolve("moving.bin"), data);
        target().putMoving("mailboxes/m/v.sqlite", src);
        Path back = scratch().resolve("moved-back.bin");
        target().get("mailboxes/m/v.sqlite", back);
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
    }

    @Test
    default void listIsSortedAndScopedToThePrefix() {
        for (String k : new String[] {"mailboxes/b/2.manifest", "mailboxes/a/1.manifest", "mailboxes/b/1.manifest", "spool/b/x.msg"}) {
            target().putBytes(k, new byte[] {1});
        }
        assertThat(target().list("mailboxes/b/")).containsExactly("mailboxes/b/1.manifest", "mailboxes/b/2.manifest");
        assertThat(target().list("mailboxes/")).hasSize(3);
        assertThat(target().list("nothing/")).isEmpty();
    }

    @Test
    default void overwriteAndDelete() {
        target().putBytes("k/1", new byte[] {1});
        target().putBytes("k/1", new byte[] {2});
        assertThat(target().getBytes("k/1")).hasValueSatisfying(b -> assertThat(b).containsExactly(2));
        target().delete("k/1");
        target().delete("k/1"); // absent is fine
        assertThat(target().getBytes("k/1")).isEmpty();
        assertThat(target().list("k/")).isEmpty();
    }

    @Test
    default void missingObjectsAreNotFound() {
        assertThatThrownBy(() -> target().get("no/such", scratch().resolve("x")))
                .isInstanceOfSatisfying(BackupException.class, e -> assertThat(e.kind()).isEqualTo(BackupException.Kind.NOT_FOUND));
        assertThat(target().getBytes("no/such")).isEmpty();
    }

    @Test
    default void describeNamesThePlaceButNoSecret() {
        assertThat(target().describe()).isNotBlank().doesNotContain(S3TestServer.SECRET_KEY);
    }
}
