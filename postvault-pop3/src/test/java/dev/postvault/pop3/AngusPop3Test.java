package dev.postvault.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postvault.net.TestTls;
import dev.postvault.store.TestMessages;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real POP3 client library (Angus Mail) over implicit TLS and STLS, certificates verified. */
class AngusPop3Test {
    @TempDir
    Path dir;

    private static Store connect(Pop3Harness h, boolean implicitTls) throws Exception {
        Properties p = new Properties();
        String proto = implicitTls ? "pop3s" : "pop3";
        p.put("mail." + proto + ".ssl.socketFactory", h.clientTls.getSocketFactory());
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        if (!implicitTls) p.put("mail.pop3.starttls.required", "true");
        p.put("mail." + proto + ".connectiontimeout", "10000");
        p.put("mail." + proto + ".timeout", "10000");
        Store store = Session.getInstance(p).getStore(proto);
        store.connect("localhost", implicitTls ? h.tls.port() : h.plain.port(), Pop3Harness.USER, Pop3Harness.PASSWORD);
        return store;
    }

    @Test
    void retrievesByteForByteAndDeletesOnClose() throws Exception {
        TestTls.get();
        try (var h = new Pop3Harness(dir, false)) {
            byte[] one = TestMessages.simple("angus one", "first body\r\n.leading dot");
            byte[] two = TestMessages.withAttachment("angus two", "see attached", TestMessages.randomBytes(300_000, 3));
            h.append(one);
            h.deliver(two);
            String uid1;
            try (Store store = connect(h, true)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                Message[] msgs = inbox.getMessages();
                assertThat(msgs).hasSize(2);
                assertThat(bytes(msgs[0])).isEqualTo(one);
                assertThat(bytes(msgs[1])).isEqualTo(two);
                assertThat(msgs[1].getSubject()).isEqualTo("angus two");
                uid1 = ((POP3Folder) inbox).getUID(msgs[0]);
                assertThat(uid1).matches("[0-9a-f]{16}");
                msgs[1].setFlag(Flags.Flag.DELETED, true);
                inbox.close(true); // QUIT: UPDATE removes message 2
            }
            try (Store store = connect(h, false)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(1);
                assertThat(((POP3Folder) inbox).getUID(inbox.getMessage(1))).isEqualTo(uid1);
                assertThat(bytes(inbox.getMessage(1))).isEqualTo(one);
                inbox.close(false);
            }
        }
    }

    private static byte[] bytes(Message m) throws Exception {
        var out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }
}
