package dev.postvault.imap.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: feeding wire text to a reader in various chunkings. */
final class Wire {

    private Wire() {
    }

    /** Lines joined with CRLF, with a final CRLF. */
    static String lines(String... lines) {
        return String.join("\r\n", lines) + "\r\n";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Accepts every literal and records the requests. */
    static final class RecordingContinuation implements LiteralContinuation {
        final List<LiteralRequest> requests = new ArrayList<>();

        @Override
        public LiteralDecision beforeLiteral(LiteralRequest request) {
            requests.add(request);
            return LiteralDecision.accept();
        }
    }

    /** All results until the end of the stream (bounded, to catch a reader that never ends). */
    static List<ReadResult> readAll(InputStream in, ImapState state, boolean utf8, ImapLimits limits,
                                    LiteralContinuation continuation) {
        ImapCommandReader reader = new ImapCommandReader(in, limits);
        if (utf8) {
            reader.enableUtf8();
        }
        List<ReadResult> results = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ReadResult result = reader.read(state, continuation);
            results.add(result);
            if (result instanceof ReadResult.EndOfStream) {
                return results;
            }
        }
        throw new AssertionError("reader did not reach the end of the stream");
    }

    static List<ReadResult> readAll(byte[] wire, ImapState state) {
        return readAll(new ByteArrayInputStream(wire), state, false, ImapLimits.defaults(), new RecordingContinuation());
    }

    /** Parses exactly one valid command in the selected state. */
    static ReadResult.TaggedCommand parse(String wire) {
        return parse(ImapState.SELECTED, wire);
    }

    static ReadResult.TaggedCommand parse(ImapState state, String wire) {
        List<ReadResult> results = readAll(utf8(wire), state);
        assertThat(results).hasSize(2);
        assertThat(results.get(1)).isInstanceOf(ReadResult.EndOfStream.class);
        assertThat(results.getFirst()).isInstanceOf(ReadResult.TaggedCommand.class);
        return (ReadResult.TaggedCommand) results.getFirst();
    }

    /** The command of a single valid line. */
    static ImapCommand command(String wire) {
        return parse(wire).command();
    }

    /** The single error of one invalid command. */
    static ReadResult.ParseError error(ImapState state, String wire) {
        List<ReadResult> results = readAll(utf8(wire), state);
        assertThat(results.getFirst()).isInstanceOf(ReadResult.ParseError.class);
        return (ReadResult.ParseError) results.getFirst();
    }

    /** Returns at most one octet per read. */
    static final class OneByteInputStream extends InputStream {
        private final byte[] data;
        private int position;

        OneByteInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            int b = read();
            if (b < 0) {
                return -1;
            }
            buffer[offset] = (byte) b;
            return 1;
        }
    }

    /** Returns the octets before {@code split} in the first reads, the rest after. */
    static final class SplitInputStream extends InputStream {
        private final byte[] data;
        private final int split;
        private int position;

        SplitInputStream(byte[] data, int split) {
            this.data = data;
            this.split = split;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= data.length) {
                return -1;
            }
            int end = position < split ? split : data.length;
            int n = Math.min(length, end - position);
            if (n == 0) {
                end = data.length;
                n = Math.min(length, end - position);
            }
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    /** Fails the test if anything reads from it: proves no octet beyond a point was consumed. */
    static final class TrapInputStream extends InputStream {
        private final byte[] data;
        private int position;

        TrapInputStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            if (position >= data.length) {
                throw new AssertionError("read past the allowed octets");
            }
            return data[position++] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= data.length) {
                throw new AssertionError("read past the allowed octets");
            }
            int n = Math.min(length, data.length - position);
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }

        int consumed() {
            return position;
        }
    }
}
