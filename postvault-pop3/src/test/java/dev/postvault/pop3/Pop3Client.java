package dev.postvault.pop3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A byte-exact POP3 test client over a real socket: what is sent and received is exactly what is on the wire. */
public final class Pop3Client implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public Pop3Client(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    private Pop3Client(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    public static Pop3Client tls(int port, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.startHandshake();
        return new Pop3Client(s);
    }

    public void startTls(SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** One line without its CRLF; null at end of stream. */
    public String readLine() throws IOException {
        byte[] b = readRawLine();
        if (b == null) return null;
        int n = b.length;
        if (n >= 2 && b[n - 2] == '\r' && b[n - 1] == '\n') n -= 2;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** One line with its terminator, exactly as received; null at end of stream. */
    public byte[] readRawLine() throws IOException {
        var buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            buf.write(c);
            if (c == '\n') break;
        }
        return c < 0 && buf.size() == 0 ? null : buf.toByteArray();
    }

    /** Lines of a multi-line body up to (not including) the lone ".", still dot-stuffed. */
    public List<String> readMultiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        while (!(l = readLine()).equals(".")) lines.add(l);
        return lines;
    }

    /** The raw octets of a multi-line body up to the terminating ".\r\n", still dot-stuffed. */
    public byte[] readMultiLineBytes() throws IOException {
        var buf = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine();
            if (line == null) throw new IOException("connection closed inside a multi-line response");
            if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') return buf.toByteArray();
            buf.write(line);
        }
    }

    public void send(String line) throws IOException {
        sendBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendBytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Sends a command and returns its status line. */
    public String command(String line) throws IOException {
        send(line);
        return readLine();
    }

    /** Reads the greeting and logs in with USER and PASS; returns PASS's status line. */
    public String login(String user, String password) throws IOException {
        readLine();
        String u = command("USER " + user);
        if (!u.startsWith("+OK")) return u;
        return command("PASS " + password);
    }

    /** Removes RFC 1939 §3 byte-stuffing from a multi-line body. */
    public static byte[] unstuff(byte[] body) {
        var out = new ByteArrayOutputStream(body.length);
        boolean lineStart = true;
        for (byte b : body) {
            if (!(lineStart && b == '.')) out.write(b);
            lineStart = b == '\n';
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
