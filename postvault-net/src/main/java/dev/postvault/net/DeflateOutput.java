package dev.postvault.net;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The sending half of COMPRESS=DEFLATE (RFC 4978 §4): raw deflate (RFC 1951) with a sync flush at
 * every {@link #flush()} that follows new data, so each response reaches the client whole.
 *
 * <p>A flush with nothing new written sends nothing. {@link DeflaterOutputStream} would send an
 * empty stored block ({@code 00 00 ff ff}) instead, and mbsync 1.4.4 reads a flush that inflates to
 * no octets as an empty server response and gives up ("IMAP error: empty response").
 */
final class DeflateOutput extends DeflaterOutputStream {
    private boolean pending;

    DeflateOutput(OutputStream out) {
        super(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true), 16 * 1024, true);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) pending = true;
        super.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (pending) {
            super.flush(); // SYNC_FLUSH: ends on a byte boundary with 00 00 ff ff
            pending = false;
        } else {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            def.end(); // a Deflater passed in is not ended by DeflaterOutputStream
        }
    }
}
