package dev.postvault.pop3;

import dev.postvault.net.TcpListener;
import dev.postvault.pop3.session.Pop3Context;
import dev.postvault.pop3.session.Pop3Session;
import java.net.InetAddress;
import java.util.Optional;

/**
 * POP3 listeners: port 110 style (plain, STLS offered when TLS is configured, RFC 2595) or port 995
 * style (implicit TLS, RFC 8314 §3.3). Each connection runs a {@link Pop3Session} on its own virtual thread.
 */
public final class Pop3Server {
    private Pop3Server() {}

    /** A listener, not yet started ({@link TcpListener#start()}). */
    public static TcpListener listener(Pop3Context ctx, InetAddress bind, int port, boolean implicitTls) {
        if (implicitTls && ctx.tls().isEmpty()) throw new IllegalArgumentException("implicit TLS needs a TLS context");
        var config = new TcpListener.Config(implicitTls ? "pop3s" : "pop3", bind, port, implicitTls ? ctx.tls() : Optional.empty(),
                ctx.config().maxConnections(), "-ERR [SYS/TEMP] Too many connections, try again later\r\n");
        return new TcpListener(config, conn -> new Pop3Session(conn, ctx).run());
    }
}
