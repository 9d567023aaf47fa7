package dev.postvault.store.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postvault.crypto.Argon2Params;
import dev.postvault.crypto.Bytes;
import dev.postvault.store.StoreException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ControlPlane} must have (STYLE.md §8). Implementations provide a fresh,
 * empty control plane; SQLite runs it now, PostgreSQL will run the same tests.
 */
public interface ControlPlaneContract {
    ControlPlane controlPlane();

    static AliasRecord alias(String address, long version) {
        var creds = new Credentials(version, Bytes.random(16), new Argon2Params(64, 1, 1), Bytes.random(32), Bytes.random(61), Optional.empty());
        return new AliasRecord(Bytes.randomId(), address, Addresses.domainOf(address), creds, Bytes.random(100), 1000,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    default void domainsAreAddedListedAndRemoved() {
        ControlPlane cp = controlPlane();
        cp.addDomain("b.example");
        cp.addDomain("a.example");
        assertThat(cp.domains()).containsExactly("a.example", "b.example");
        assertThat(cp.hasDomain("a.example")).isTrue();
        assertThatThrownBy(() -> cp.addDomain("a.example")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.ALREADY_EXISTS));
        cp.removeDomain("a.example");
        assertThat(cp.domains()).containsExactly("b.example");
        assertThatThrownBy(() -> cp.removeDomain("a.example")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
    }

    @Test
    default void aliasRoundTripsEveryField() {
        ControlPlane cp = controlPlane();
        cp.addDomain("example.org");
        AliasRecord a = alias("hello@example.org", 1);
        cp.addAlias(a);
        AliasRecord back = cp.alias("hello@example.org").orElseThrow();
        assertThat(back.id()).isEqualTo(a.id());
        assertThat(back.domain()).isEqualTo("example.org");
        assertThat(back.publicKey()).isEqualTo(a.publicKey());
        assertThat(back.quotaBytes()).isEqualTo(1000);
        assertThat(back.createdAt()).isEqualTo(a.createdAt());
        assertThat(back.credentials().salt()).isEqualTo(a.credentials().salt());
        assertThat(back.credentials().verifier()).isEqualTo(a.credentials().verifier());
        assertThat(back.credentials().wrappedDek()).isEqualTo(a.credentials().wrappedDek());
        assertThat(back.credentials().argon2()).isEqualTo(a.credentials().argon2());
        assertThat(back.credentials().recoveryWrappedDek()).isEmpty();
        assertThat(cp.aliasById(a.id()).orElseThrow().address()).isEqualTo("hello@example.org");
        assertThat(cp.alias("nobody@example.org")).isEmpty();
    }

    @Test
    default void aliasNeedsItsDomainAndIsUnique() {
        ControlPlane cp = controlPlane();
        assertThatThrownBy(() -> cp.addAlias(alias("x@nowhere.example", 1))).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
        cp.addDomain("example.org");
        cp.addAlias(alias("x@example.org", 1));
        assertThatThrownBy(() -> cp.addAlias(alias("x@example.org", 1))).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.ALREADY_EXISTS));
        assertThatThrownBy(() -> cp.removeDomain("example.org")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IN_USE));
    }

    @Test
    default void aliasesAreListedPerDomainAndRemoved() {
        ControlPlane cp = controlPlane();
        cp.addDomain("a.example");
        cp.addDomain("b.example");
        cp.addAlias(alias("z@a.example", 1));
        cp.addAlias(alias("m@a.example", 1));
        cp.addAlias(alias("q@b.example", 1));
        assertThat(cp.aliases(Optional.empty())).extracting(AliasRecord::address).containsExactly("m@a.example", "q@b.example", "z@a.example");
        assertThat(cp.aliases(Optional.of("a.example"))).extracting(AliasRecord::address).containsExactly("m@a.example", "z@a.example");
        cp.removeAlias("m@a.example");
        assertThat(cp.alias("m@a.example")).isEmpty();
        assertThatThrownBy(() -> cp.removeAlias("m@a.example")).isInstanceOf(StoreException.class);
    }

    @Test
    default void quotaIsSetPerAlias() {
        ControlPlane cp = controlPlane();
        cp.addDomain("example.org");
        AliasRecord a = alias("q@example.org", 1);
        cp.addAlias(a);
        cp.setQuota(a.id(), 5_000_000);
        assertThat(cp.aliasById(a.id()).orElseThrow().quotaBytes()).isEqualTo(5_000_000);
        assertThatThrownBy(() -> cp.setQuota("0123456789abcdef0123456789abcdef", 1)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> cp.setQuota(a.id(), -1)).isInstanceOf(StoreException.class);
    }

    @Test
    default void sendAsAddressesAreAllowedListedRevokedAndGoWithTheAlias() {
        ControlPlane cp = controlPlane();
        cp.addDomain("example.org");
        AliasRecord a = alias("s@example.org", 1);
        AliasRecord b = alias("t@example.org", 1);
        cp.addAlias(a);
        cp.addAlias(b);
        cp.allowSendAs(a.id(), "team@example.org");
        cp.allowSendAs(a.id(), "news@example.org");
        cp.allowSendAs(a.id(), "team@example.org"); // idempotent
        cp.allowSendAs(b.id(), "team@example.org");
        assertThat(cp.sendAs(a.id())).containsExactly("news@example.org", "team@example.org");
        cp.revokeSendAs(a.id(), "news@example.org");
        assertThat(cp.sendAs(a.id())).containsExactly("team@example.org");
        assertThatThrownBy(() -> cp.revokeSendAs(a.id(), "news@example.org")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> cp.allowSendAs("0123456789abcdef0123456789abcdef", "x@example.org")).isInstanceOfSatisfying(
                StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
        cp.removeAlias("s@example.org");
        assertThat(cp.sendAs(a.id())).isEmpty();
        assertThat(cp.sendAs(b.id())).containsExactly("team@example.org");
    }

    @Test
    default void credentialReplacementIsCompareAndSet() {
        ControlPlane cp = controlPlane();
        cp.addDomain("example.org");
        AliasRecord a = alias("x@example.org", 1);
        cp.addAlias(a);
        Credentials next = alias("x@example.org", 2).credentials();
        assertThat(cp.replaceCredentials(a.id(), 1, next)).isTrue();
        assertThat(cp.replaceCredentials(a.id(), 1, alias("x@example.org", 2).credentials())).isFalse();
        Credentials stored = cp.alias("x@example.org").orElseThrow().credentials();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.verifier()).isEqualTo(next.verifier());
        assertThat(stored.wrappedDek()).isEqualTo(next.wrappedDek());
    }

    @Test
    default void anMtaStsPolicyIsKeptPerDomainAndReplacedWhole() {
        ControlPlane cp = controlPlane();
        assertThat(cp.mtaStsPolicy("remote.example")).isEmpty();
        byte[] first = "version: STSv1\nmode: testing\nmx: mx.remote.example\nmax_age: 86400\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.time.Instant t = java.time.Instant.parse("2026-12-08T01:00:00Z");
        cp.saveMtaStsPolicy(new CachedPolicy("remote.example", "20261208", first, t));
        CachedPolicy got = cp.mtaStsPolicy("remote.example").orElseThrow();
        assertThat(got.id()).isEqualTo("20261208");
        assertThat(got.body()).isEqualTo(first);
        assertThat(got.fetchedAt()).isEqualTo(t);
        byte[] second = "version: STSv1\nmode: enforce\nmx: *.remote.example\nmax_age: 604800\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        cp.saveMtaStsPolicy(new CachedPolicy("remote.example", "20261209", second, t.plusSeconds(60)));
        assertThat(cp.mtaStsPolicy("remote.example").orElseThrow().body()).isEqualTo(second);
        assertThat(cp.mtaStsPolicy("remote.example").orElseThrow().id()).isEqualTo("20261209");
        assertThat(cp.mtaStsPolicy("other.example")).isEmpty();
    }
}
