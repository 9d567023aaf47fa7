package dev.postvault.imap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A deliberately small IMAP test client over a real socket: send raw lines, read whole responses. */
public final class ImapClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\}$");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tagCounter;

    public ImapClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    private ImapClient(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    public static ImapClient tls(int port, SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new ImapClient(s);
    }

    public void startTls(SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** RFC 4978: both directions become raw deflate streams, each write sync-flushed. */
    public void startCompression() {
        in = new BufferedInputStream(new java.util.zip.InflaterInputStream(in, new java.util.zip.Inflater(true)));
        out = new java.util.zip.DeflaterOutputStream(out, new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true), true);
    }

    /**
     * True when the server sends nothing within {@code wait}: for checks that a response (or an empty
     * compressed block) does not arrive unasked. A byte that does arrive is consumed.
     */
    public boolean quietFor(java.time.Duration wait) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) wait.toMillis());
        try {
            in.read(); // a byte, or the end of the stream: either way not quiet
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** One response line with any literals it announces folded in (as text, ISO-8859-1). */
    public String readResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = readLine();
            sb.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) return sb.toString();
            byte[] lit = in.readNBytes(Integer.parseInt(m.group(1)));
            sb.append("\r\n").append(new String(lit, StandardCharsets.ISO_8859_1));
        }
    }

    public String readLine() throws IOException {
        var b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            b.write(c);
        }
        if (c == -1 && b.size() == 0) throw new IOException("connection closed");
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Sends {@code tag command} and returns every response line up to and including the tagged one. */
    public List<String> command(String command) throws IOException {
        String tag = "t" + (++tagCounter);
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    public List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String r = readResponse();
            lines.add(r);
            if (r.startsWith(tag + " ")) return lines;
        }
    }

    /** The tagged line of the last response list. */
    public static String last(List<String> lines) {
        return lines.getLast();
    }

    public boolean isClosed() {
        try {
            socket.setSoTimeout(2000);
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
