package dev.postvault.backup.transfer;

import dev.postvault.net.Tls;
import dev.postvault.store.mailbox.MessageFlags;
import dev.postvault.store.mailbox.SystemFlag;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;

/**
 * Another IMAP account as an {@link Import.Source}, through Angus Mail: {@code imaps://USER@HOST[:PORT]}
 * (implicit TLS) or {@code imap://USER@HOST[:PORT]} (STARTTLS required). The certificate is always
 * verified: against the JDK's trust store, or only against {@code caFile} when given. Every folder
 * that holds messages is read, read-only, with its flags and internal dates; a folder's hierarchy
 * separator becomes "/".
 */
public final class ImapSource extends Import.CountingSource {
    private final Store store;
    private final Deque<Folder> folders;
    private final long maxMessageBytes;
    private Folder current;
    private Message[] messages = new Message[0];
    private int index;

    private ImapSource(Store store, Deque<Folder> folders, int total, long maxMessageBytes) {
        super(total);
        this.store = store;
        this.folders = folders;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Connects and logs in; the user name comes from the URL (percent-encoded, e.g. {@code me%40example.org}). */
    public static ImapSource connect(URI url, String password, Optional<Path> caFile, long maxMessageBytes) throws IOException {
        String scheme = url.getScheme();
        if (!"imaps".equals(scheme) && !"imap".equals(scheme)) throw new IllegalArgumentException("the URL must start with imaps:// or imap://");
        if (url.getRawUserInfo() == null || url.getHost() == null) throw new IllegalArgumentException("the URL needs a user and a host: imaps://USER@HOST");
        String user = URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8);
        Properties p = new Properties();
        String proto = scheme;
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        p.put("mail." + proto + ".connectiontimeout", "30000");
        p.put("mail." + proto + ".timeout", "120000");
        p.put("mail." + proto + ".peek", "true"); // reading must not mark the source's mail \\Seen
        if (proto.equals("imap")) p.put("mail.imap.starttls.required", "true");
        if (caFile.isPresent()) p.put("mail." + proto + ".ssl.socketFactory", trusting(caFile.get()).getSocketFactory());
        try {
            Store store = Session.getInstance(p).getStore(proto);
            store.connect(url.getHost(), url.getPort(), user, password);
            Deque<Folder> folders = new ArrayDeque<>();
            int total = 0;
            for (Folder f : store.getDefaultFolder().list("*")) {
                if ((f.getType() & Folder.HOLDS_MESSAGES) == 0) continue;
                folders.add(f);
                total += f.getMessageCount();
            }
            return new ImapSource(store, folders, total, maxMessageBytes);
        } catch (MessagingException e) {
            throw new IOException("IMAP: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Import.Item> next() throws IOException {
        try {
            while (index >= messages.length) {
                if (current != null && current.isOpen()) current.close(false);
                current = folders.poll();
                if (current == null) return Optional.empty();
                current.open(Folder.READ_ONLY);
                messages = current.getMessages();
                index = 0;
                var fp = new FetchProfile();
                fp.add(FetchProfile.Item.FLAGS);
                fp.add(FetchProfile.Item.SIZE);
                fp.add("INTERNALDATE");
                current.fetch(messages, fp);
            }
            Message m = messages[index];
            messages[index++] = null; // let the fetched message go once read
            if (m.getSize() > maxMessageBytes) {
                tooBig++;
                return next();
            }
            var out = new ByteArrayOutputStream(Math.max(1024, m.getSize()));
            m.writeTo(out);
            Instant date = Optional.ofNullable(m.getReceivedDate()).map(java.util.Date::toInstant).orElse(Instant.now());
            return Optional.of(new Import.Item(folderName(current), out.toByteArray(), flags(m.getFlags()), date));
        } catch (MessagingException e) {
            throw new IOException("IMAP: " + e.getMessage(), e);
        }
    }

    private static String folderName(Folder f) throws MessagingException {
        if (f.getFullName().equalsIgnoreCase("INBOX")) return "INBOX";
        char sep = f.getSeparator();
        return sep == '/' ? f.getFullName() : f.getFullName().replace(sep, '/');
    }

    static MessageFlags flags(Flags f) {
        EnumSet<SystemFlag> system = EnumSet.noneOf(SystemFlag.class);
        if (f.contains(Flags.Flag.SEEN)) system.add(SystemFlag.SEEN);
        if (f.contains(Flags.Flag.ANSWERED)) system.add(SystemFlag.ANSWERED);
        if (f.contains(Flags.Flag.FLAGGED)) system.add(SystemFlag.FLAGGED);
        if (f.contains(Flags.Flag.DELETED)) system.add(SystemFlag.DELETED);
        if (f.contains(Flags.Flag.DRAFT)) system.add(SystemFlag.DRAFT);
        List<String> keywords = new ArrayList<>(List.of(f.getUserFlags()));
        return new MessageFlags(system, new TreeSet<>(keywords));
    }

    @Override
    public void close() throws IOException {
        try {
            if (current != null && current.isOpen()) current.close(false);
            store.close();
        } catch (MessagingException e) {
            throw new IOException("IMAP: " + e.getMessage(), e);
        }
    }

    /** TLS that trusts exactly the certificates in a PEM file (a self-hosted server's own certificate). */
    private static SSLContext trusting(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return Tls.clientTrusting(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read CA file " + pem + ": " + e.getMessage(), e);
        }
    }
}
