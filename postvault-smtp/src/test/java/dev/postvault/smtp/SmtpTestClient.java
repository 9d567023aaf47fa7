package dev.postvault.smtp;

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

/** A deliberately dumb SMTP client for transcripts: raw writes, strict reply parsing. */
final class SmtpTestClient implements AutoCloseable {

    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        /** The enhanced status code of the last line, e.g. "5.1.1", or "" if none. */
        String enhanced() {
            String last = lines.getLast();
            int space = last.indexOf(' ');
            String first = space < 0 ? last : last.substring(0, space);
            return first.matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? first : "";
        }
    }

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    SmtpTestClient(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Connects with TLS from the first byte (implicit TLS, RFC 8314). */
    static SmtpTestClient implicitTls(int port, SSLContext context) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        ssl.startHandshake();
        return new SmtpTestClient(ssl);
    }

    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Sends one command line (CRLF added) and reads its reply. */
    Reply command(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** Reads one complete (possibly multi-line) reply, checking the RFC 5321 §4.2 format. */
    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed while reading a reply; got " + lines);
            }
            if (line.length() < 3 || !line.substring(0, 3).matches("\\d{3}")
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
    }

    /** True once the server has closed the connection (reads EOF). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    void startTls(SSLContext context) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    void closeAbruptly() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                    throw new IOException("reply line not terminated by CRLF");
                }
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
