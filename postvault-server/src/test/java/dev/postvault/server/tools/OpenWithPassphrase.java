package dev.postvault.server.tools;

import java.sql.DriverManager;

/**
 * A stand-alone SQLite3MultipleCiphers reader, run in its own JVM with nothing but the sqlite-jdbc
 * jar on its class path: opens FILE with cipher=chacha20 and the passphrase given on standard input,
 * and prints the number of messages and the first subject line it finds. Proves an export opens with
 * the password alone, without any Postvault code.
 */
public final class OpenWithPassphrase {
    private OpenWithPassphrase() {}

    public static void main(String[] args) throws Exception {
        String passphrase = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
        // SQLite3MultipleCiphers' URI parameters: the cipher and the passphrase, percent-encoded.
        var key = new StringBuilder();
        for (byte b : passphrase.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (Character.isLetterOrDigit(b) && b > 0) key.append((char) b);
            else key.append(String.format("%%%02X", b & 0xff));
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:file:" + args[0] + "?cipher=chacha20&key=" + key); var s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT count(*) FROM messages")) {
                rs.next();
                System.out.println("messages " + rs.getInt(1));
            }
            try (var rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                System.out.println("integrity " + rs.getString(1));
            }
        }
    }
}
