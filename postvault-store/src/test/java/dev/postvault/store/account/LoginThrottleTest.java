package dev.postvault.store.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.store.TestClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottle.Policy(Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofSeconds(1), 5, 3), clock);

    @Test
    void delayDoublesPerFailureUpToTheCap() throws Exception {
        var ip = InetAddress.getByName("192.0.2.7");
        assertThat(throttle.failed(ip)).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.failed(ip)).isEqualTo(Duration.ofMillis(200));
        assertThat(throttle.failed(ip)).isEqualTo(Duration.ofMillis(400));
        assertThat(throttle.failed(ip)).isEqualTo(Duration.ofMillis(800));
        assertThat(throttle.refused(ip)).isFalse();
        assertThat(throttle.failed(ip)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.refused(ip)).isTrue();
    }

    @Test
    void theWindowForgets() throws Exception {
        var ip = InetAddress.getByName("192.0.2.7");
        for (int i = 0; i < 5; i++) throttle.failed(ip);
        assertThat(throttle.refused(ip)).isTrue();
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.refused(ip)).isFalse();
        assertThat(throttle.failed(ip)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anIpv6ClientIsTrackedByItsSlash64() throws Exception {
        for (int i = 1; i <= 5; i++) throttle.failed(InetAddress.getByName("2001:db8:1:2::" + i));
        assertThat(throttle.refused(InetAddress.getByName("2001:db8:1:2:ffff::9"))).isTrue();
        assertThat(throttle.refused(InetAddress.getByName("2001:db8:1:3::1"))).isFalse();
    }

    @Test
    void otherNetworksAreNotAffectedAndMemoryIsBounded() throws Exception {
        for (int i = 0; i < 5; i++) throttle.failed(InetAddress.getByName("192.0.2.7"));
        assertThat(throttle.refused(InetAddress.getByName("192.0.2.8"))).isFalse();
        for (int i = 10; i < 20; i++) throttle.failed(InetAddress.getByName("198.51.100." + i));
        assertThat(throttle.tracked()).isEqualTo(3);
        assertThat(throttle.refused(InetAddress.getByName("192.0.2.7"))).isFalse(); // forgotten, least recently seen
    }
}
