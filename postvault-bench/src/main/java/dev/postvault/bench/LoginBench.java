package dev.postvault.bench;

import dev.postvault.server.Node;
import dev.postvault.store.StoreException;
import dev.postvault.store.account.Accounts;
import dev.postvault.store.account.Unlocked;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Benchmark 2: login at the production Argon2id cost (19 MiB, t=2, p=1). A first login of an alias is
 * a cache miss and pays Argon2id; a repeated login with the same password within the cache TTL is a
 * hit. Each first-login sample is a different alias, so each one really misses. Alias creation runs
 * Argon2id too, so the JIT is warm before the first timed login. A login with an unknown address is
 * timed as well: it must cost what a real miss costs, or timing would reveal which addresses exist.
 */
public final class LoginBench {
    static final int ALIASES = 16;
    static final int CACHED_WARMUP = 500;
    static final int CACHED_RUNS = 5_000;

    public record Result(Stats createAlias, Stats firstLogin, Stats cachedLogin, Stats unknownAddress) {}

    private LoginBench() {}

    public static Result run(Path parent) {
        try (DataDir dir = DataDir.create(parent, "login"); Node node = Node.open(dir.path(), Node.Settings.DEFAULT)) {
            node.control().addDomain("bench.test");
            Accounts accounts = node.accounts();
            record Account(String address, String password, String aliasId) {}
            List<Account> all = new ArrayList<>();
            long[] create = new long[ALIASES];
            for (int i = 0; i < ALIASES; i++) {
                String address = "login" + i + "@bench.test";
                long a = System.nanoTime();
                var created = accounts.createAlias(address, Optional.empty(), false);
                create[i] = System.nanoTime() - a;
                all.add(new Account(address, created.password(), created.alias().id()));
            }

            long[] first = new long[ALIASES];
            for (int i = 0; i < ALIASES; i++) {
                Account acc = all.get(i);
                long a = System.nanoTime();
                Unlocked u = accounts.login(acc.address(), acc.password());
                first[i] = System.nanoTime() - a;
                BenchmarkFailure.check(u.alias().id().equals(acc.aliasId()), "login unlocked the wrong alias");
            }

            long[] cached = new long[CACHED_RUNS];
            for (int i = -CACHED_WARMUP; i < CACHED_RUNS; i++) {
                Account acc = all.get(Math.floorMod(i, ALIASES));
                long a = System.nanoTime();
                Unlocked u = accounts.login(acc.address(), acc.password());
                long b = System.nanoTime();
                if (i >= 0) cached[i] = b - a;
                BenchmarkFailure.check(u.alias().id().equals(acc.aliasId()), "cached login unlocked the wrong alias");
            }

            long[] unknown = new long[ALIASES / 2];
            for (int i = 0; i < unknown.length; i++) {
                long a = System.nanoTime();
                try {
                    accounts.login("nobody" + i + "@bench.test", all.getFirst().password());
                    throw new BenchmarkFailure("an unknown address logged in");
                } catch (StoreException expected) {
                    BenchmarkFailure.check(expected.kind() == StoreException.Kind.AUTHENTICATION_FAILED, "unknown address: " + expected.kind());
                }
                unknown[i] = System.nanoTime() - a;
            }
            return new Result(Stats.of(create), Stats.of(first), Stats.of(cached), Stats.of(unknown));
        }
    }

    public static void report(Result r, Report report) {
        report.section("2. Login (Argon2id m=19 MiB, t=2, p=1; login cache TTL 15 min)");
        report.timingHeader();
        report.timing("first login (cache miss, Argon2id)", r.firstLogin());
        report.timing("cached login (same password again)", r.cachedLogin());
        report.timing("login with an unknown address", r.unknownAddress());
        report.timing("create alias (Argon2id + ML-KEM keys + file)", r.createAlias());
        report.note("no target was set for login; reported for capacity planning (one core does about "
                + "%.0f".formatted(1000 / r.firstLogin().medianMillis()) + " first logins per second)");
    }
}
