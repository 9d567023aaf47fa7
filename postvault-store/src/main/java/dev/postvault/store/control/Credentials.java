package dev.postvault.store.control;

import dev.postvault.crypto.Argon2Params;
import java.util.Optional;

/**
 * An alias's key material as stored: Argon2id salt and cost, the verifier, the DEK wrapped by the
 * password KEK and, optionally, by a recovery key. {@code version} increases on every change; updates
 * compare-and-set on it so two concurrent password changes cannot both win.
 */
public record Credentials(
        long version,
        byte[] salt,
        Argon2Params argon2,
        byte[] verifier,
        byte[] wrappedDek,
        Optional<byte[]> recoveryWrappedDek) {}
