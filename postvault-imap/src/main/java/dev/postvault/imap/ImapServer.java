package dev.postvault.imap;

import dev.postvault.imap.session.ImapContext;
import dev.postvault.imap.session.ImapSession;
import dev.postvault.net.TcpListener;
import java.net.InetAddress;
import java.util.Optional;

/**
 * IMAP listeners: port 143 style (plain, STARTTLS offered when TLS is configured) or port 993 style
 * (implicit TLS, RFC 8314 §3.3). Each connection runs an {@link ImapSession} on its own virtual thread.
 */
public final class ImapServer {
    private ImapServer() {}

    /** A listener, not yet started ({@link TcpListener#start()}). */
    public static TcpListener listener(ImapContext ctx, InetAddress bind, int port, boolean implicitTls) {
        if (implicitTls && ctx.tls().isEmpty()) throw new IllegalArgumentException("implicit TLS needs a TLS context");
        var config = new TcpListener.Config(implicitTls ? "imaps" : "imap", bind, port, implicitTls ? ctx.tls() : Optional.empty(),
                ctx.config().maxConnections(), "* BYE Too many connections, try again later\r\n");
        return new TcpListener(config, conn -> new ImapSession(conn, ctx).run());
    }
}
