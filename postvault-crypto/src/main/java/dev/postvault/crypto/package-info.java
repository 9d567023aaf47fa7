/**
 * Postvault's key hierarchy and sealing primitives (ARCHITECTURE.md §2).
 *
 * <ul>
 *   <li>{@link dev.postvault.crypto.PasswordKdf}: Argon2id (RFC 9106, BouncyCastle) turns an alias
 *       password into a master secret; HKDF-SHA256 (RFC 5869, JDK 25 {@code javax.crypto.KDF}) splits it
 *       into a verifier and a key-encryption key.</li>
 *   <li>{@link dev.postvault.crypto.Aead}: ChaCha20-Poly1305 (RFC 8439, JDK) for wrapping mailbox keys
 *       and small secrets, always with associated data that names what is wrapped.</li>
 *   <li>{@link dev.postvault.crypto.HybridKem} and {@link dev.postvault.crypto.StreamSealer}: mail that
 *       arrives while nobody is logged in is sealed to the alias's X25519 + ML-KEM-768 (FIPS 203) public
 *       key, so the MX never needs the password and neither a server compromise nor a future quantum
 *       computer alone opens it.</li>
 *   <li>{@link dev.postvault.crypto.ServerKey}: the per-installation random key (file mode 0600) that
 *       encrypts the control plane, the spool container and in-memory caches.</li>
 * </ul>
 *
 * <p>Every failure surfaces as {@link dev.postvault.crypto.CryptoException}; callers never see provider
 * exceptions. Nothing here logs, and no secret is ever turned into a String except the user-facing
 * password and recovery-key encodings, which are printed once.
 *
 * <p>Threading: all classes are immutable or thread-confined; {@link java.security.SecureRandom} is shared.
 */
package dev.postvault.crypto;
