package dev.postvault.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS set-up in one place: servers speak TLS 1.2 and 1.3 only (RFC 8996, RFC 8314 §4.1); clients of a
 * self-hosted server trust exactly its certificate.
 */
public final class Tls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private Tls() {}

    /** Wraps an accepted plaintext socket (after STARTTLS or STLS) and completes the handshake. */
    public static SSLSocket serverHandshake(SSLContext ctx, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.setEnabledProtocols(PROTOCOLS);
        tls.startHandshake();
        return tls;
    }

    /** An unbound listening socket for implicit TLS (RFC 8314 §3.3). */
    public static ServerSocket serverSocket(SSLContext ctx) throws IOException {
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(PROTOCOLS);
        return s;
    }

    /**
     * A client context that trusts exactly {@code certificates} and nothing else: a self-hosted server's
     * own certificate, pinned. Host names are still checked by whoever opens the connection.
     */
    public static SSLContext clientTrusting(Collection<? extends Certificate> certificates) throws GeneralSecurityException {
        if (certificates.isEmpty()) throw new GeneralSecurityException("no certificate to trust");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try {
            trusted.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate c : certificates) trusted.setCertificateEntry("trusted-" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * A client context that verifies certificates the way the web does (PKIX to a trusted root): the
     * JDK's trusted roots, plus {@code extraRoots} (a private CA). Host names are checked by whoever
     * opens the connection (endpoint identification "HTTPS").
     */
    public static SSLContext clientVerifying(Collection<? extends Certificate> extraRoots) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (extraRoots.isEmpty()) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try {
                trusted.load(null, null);
                java.nio.file.Path cacerts = java.nio.file.Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
                if (java.nio.file.Files.isReadable(cacerts)) {
                    KeyStore jdk = KeyStore.getInstance(cacerts.toFile(), (char[]) null);
                    for (String alias : java.util.Collections.list(jdk.aliases())) {
                        if (jdk.isCertificateEntry(alias)) trusted.setCertificateEntry("jdk-" + alias, jdk.getCertificate(alias));
                    }
                }
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            int i = 0;
            for (Certificate c : extraRoots) trusted.setCertificateEntry("extra-" + i++, c);
            tmf.init(trusted);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
