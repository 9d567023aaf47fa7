package dev.postvault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyHierarchyTest {
    private static final Argon2Params FAST = new Argon2Params(64, 1, 1);

    @Test
    void passwordDerivesStableVerifierAndKekThatUnwrapTheDek() {
        byte[] salt = PasswordKdf.newSalt();
        var keys = PasswordKdf.derive("correct horse battery", salt, FAST);
        var again = PasswordKdf.derive("correct horse battery", salt, FAST);
        assertThat(keys.verifier()).isEqualTo(again.verifier());
        assertThat(keys.kek()).isEqualTo(again.kek());
        assertThat(keys.verifier()).isNotEqualTo(keys.kek().bytes());

        SecretKey32 dek = SecretKey32.random();
        byte[] wrapped = KeyWrap.wrap(keys.kek(), dek, "alias-1");
        assertThat(KeyWrap.unwrap(again.kek(), wrapped, "alias-1")).isEqualTo(dek);
    }

    @Test
    void wrongPasswordOrWrongAliasFailsAuthentication() {
        byte[] salt = PasswordKdf.newSalt();
        SecretKey32 dek = SecretKey32.random();
        byte[] wrapped = KeyWrap.wrap(PasswordKdf.derive("right password", salt, FAST).kek(), dek, "a");
        var wrong = PasswordKdf.derive("wrong password", salt, FAST).kek();
        assertThatThrownBy(() -> KeyWrap.unwrap(wrong, wrapped, "a"))
                .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.authenticationFailure()).isTrue());
        var right = PasswordKdf.derive("right password", salt, FAST).kek();
        assertThatThrownBy(() -> KeyWrap.unwrap(right, wrapped, "b")).isInstanceOf(CryptoException.class);
        byte[] flipped = wrapped.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> KeyWrap.unwrap(right, flipped, "a")).isInstanceOf(CryptoException.class);
    }

    @Test
    void generatedSecretsCarryAtLeast128BitsAndRecoveryKeysAreTolerantOfFormatting() {
        String pw = Secrets.generatePassword();
        String symbols = pw.replace("-", "");
        assertThat(symbols).hasSize(Secrets.SYMBOLS);
        assertThat(Secrets.entropyBits()).isGreaterThanOrEqualTo(128);
        assertThat(symbols).matches("[a-z2-9]+").doesNotContain("0", "1", "o", "l", "i");
        assertThat(Secrets.generatePassword()).isNotEqualTo(pw);
        String rk = Secrets.generateRecoveryKey();
        assertThat(Secrets.looksLikeRecoveryKey(rk)).isTrue();
        assertThat(Secrets.recoveryKek(rk.toUpperCase().replace("-", " "))).isEqualTo(Secrets.recoveryKek(rk));
        assertThat(Secrets.looksLikeRecoveryKey("short")).isFalse();
    }

    @Test
    void argon2ParamsRoundTrip() {
        assertThat(Argon2Params.decode(Argon2Params.DEFAULT.encode())).isEqualTo(Argon2Params.DEFAULT);
        assertThatThrownBy(() -> Argon2Params.decode("m=1,t=x")).isInstanceOf(CryptoException.class);
    }

    @Test
    void hybridSealOpensOnlyWithTheRecipientKey() {
        var alice = HybridKem.generate();
        var bob = HybridKem.generate();
        Random rnd = new Random(7);
        for (int size : new int[] {0, 1, StreamSealer.CHUNK_BYTES - 1, StreamSealer.CHUNK_BYTES, 3 * StreamSealer.CHUNK_BYTES + 5}) {
            byte[] msg = new byte[size];
            rnd.nextBytes(msg);
            byte[] sealed = seal(alice.publicKeys(), msg);
            assertThat(open(alice, sealed)).isEqualTo(msg);
            assertThatThrownBy(() -> open(bob, sealed)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void sealedStreamDetectsTruncationReorderAndBitFlips() {
        var alice = HybridKem.generate();
        byte[] msg = new byte[2 * StreamSealer.CHUNK_BYTES + 100];
        new Random(1).nextBytes(msg);
        byte[] sealed = seal(alice.publicKeys(), msg);
        // Truncating at a chunk boundary must not look like a complete shorter message.
        int firstChunkEnd = sealed.length - (StreamSealer.CHUNK_BYTES + 16 + 4) - (100 + 16 + 4);
        for (int cut : new int[] {sealed.length - 1, firstChunkEnd, 10}) {
            byte[] truncated = java.util.Arrays.copyOf(sealed, cut);
            assertThatThrownBy(() -> open(alice, truncated)).isInstanceOf(CryptoException.class);
        }
        byte[] flipped = sealed.clone();
        flipped[sealed.length / 2] ^= 0x40;
        assertThatThrownBy(() -> open(alice, flipped)).isInstanceOf(CryptoException.class);
        byte[] extended = java.util.Arrays.copyOf(sealed, sealed.length + 1);
        assertThatThrownBy(() -> open(alice, extended)).isInstanceOf(CryptoException.class);
    }

    @Test
    void keysSurviveTheirEncodings() {
        var kp = HybridKem.generate();
        var pub = HybridKem.PublicKeys.decode(kp.publicKeys().encode());
        var priv = HybridKem.PrivateKeys.decode(kp.privateKeys().encode());
        byte[] sealed = seal(pub, "hello".getBytes());
        var out = new ByteArrayOutputStream();
        StreamSealer.open(priv, pub, new ByteArrayInputStream(sealed), out);
        assertThat(out.toString()).isEqualTo("hello");
        assertThatThrownBy(() -> HybridKem.PublicKeys.decode(new byte[] {1, 0, 0, 0, 9})).isInstanceOf(CryptoException.class);
    }

    @Test
    void serverKeyIsCreatedOnceWithOwnerOnlyPermissions(@TempDir Path dir) throws Exception {
        ServerKey a = ServerKey.loadOrCreate(dir);
        Path file = dir.resolve(ServerKey.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        ServerKey b = ServerKey.loadOrCreate(dir);
        assertThat(a.subkey("spool")).isEqualTo(b.subkey("spool"));
        assertThat(a.subkey("spool")).isNotEqualTo(a.subkey("control-plane"));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ServerKey.loadOrCreate(dir)).hasMessageContaining("chmod 600");
    }

    private static byte[] seal(HybridKem.PublicKeys to, byte[] msg) {
        var out = new ByteArrayOutputStream();
        StreamSealer.seal(to, new ByteArrayInputStream(msg), out);
        return out.toByteArray();
    }

    private static byte[] open(HybridKem.KeyPairs kp, byte[] sealed) {
        var out = new ByteArrayOutputStream();
        StreamSealer.open(kp.privateKeys(), kp.publicKeys(), new ByteArrayInputStream(sealed), out);
        return out.toByteArray();
    }
}
