package dev.postvault.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class TlsTest {
    @Test
    void aClientTrustsExactlyThePinnedCertificate() throws Exception {
        TestTls tls = TestTls.get();
        try (ServerSocket server = Tls.serverSocket(tls.server)) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try (var s = server.accept()) {
                        s.getOutputStream().write('x');
                    } catch (IOException ignored) {
                        // the second client gives up during the handshake
                    }
                }
            });
            assertThat(handshake(tls.client, server.getLocalPort())).isEqualTo("TLSv1.3");

            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            var someOtherCa = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
            SSLContext wrong = Tls.clientTrusting(List.of(someOtherCa));
            assertThatThrownBy(() -> handshake(wrong, server.getLocalPort())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
        assertThatThrownBy(() -> Tls.clientTrusting(List.of())).isInstanceOf(GeneralSecurityException.class);
    }

    private static String handshake(SSLContext client, int port) throws IOException {
        try (var s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.startHandshake();
            assertThat(s.getInputStream().read()).isEqualTo('x');
            return s.getSession().getProtocol();
        }
    }
}
