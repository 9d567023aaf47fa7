package dev.postvault.imap.codec;

import static dev.postvault.imap.codec.Wire.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing: whatever the octets, the reader returns only documented results,
 * consumes input on every call, and reports the end of the stream only after the last octet (or
 * right after a fatal error, which it cannot resynchronise from).
 */
class FuzzTest {

    private static final long SEED = 0x1AB5_C0DEC_0FFEEL;
    private static final int ITERATIONS = 8_000;
    private static final byte[] SPECIALS = utf8("{}()\"\\\r\n\0~+*%$ []<>:,.0123456789-=&");
    private static final String[] INSERTIONS = {
        "{5}\r\n", "{0}\r\n", "{3+}\r\n", "~{4}\r\n", "{99999999999+}\r\n", "{99999999999}\r\n", "{4096}\r\n",
        " (", ")", " NIL", " \"", "\\", " UID", " RETURN (", " CHARSET", " NOT", " OR", "BODY[", "]<0.",
        "\r\n", "\n", " *", " $", "&-", "&AAA", "\u00e9", "\ufffd"};

    @Test
    void mutatedCommandsNeverBreakTheReader() {
        List<SplitPointTest.Input> corpus = SplitPointTest.inputs().toList();
        Random random = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            int commands = 0;
            int errors = 0;
            int fatalErrors = 0;
            for (int i = 0; i < ITERATIONS; i++) {
                SplitPointTest.Input input = corpus.get(random.nextInt(corpus.size()));
                byte[] wire = mutate(utf8(input.wire()), random);
                ImapState state = ImapState.values()[random.nextInt(ImapState.values().length)];
                ImapLimits limits = random.nextInt(4) == 0
                        ? ImapLimits.defaults().withMaxLineBytes(1 + random.nextInt(80)).withMaxNestingDepth(1 + random.nextInt(4))
                                .withMaxListItems(1 + random.nextInt(4)).withMaxSequenceSetRanges(1 + random.nextInt(3))
                                .withMaxLiteralBytes(1 + random.nextInt(400)).withMaxArgumentLiteralBytes(1 + random.nextInt(20))
                        : ImapLimits.defaults();
                InputStream in = random.nextBoolean() ? new ByteArrayInputStream(wire) : new Wire.OneByteInputStream(wire);
                boolean reject = random.nextInt(8) == 0;
                LiteralContinuation continuation = request -> reject
                        ? LiteralDecision.reject(ResponseStatus.NO, Optional.empty(), "no")
                        : LiteralDecision.accept();
                for (ReadResult result : readAll(in, wire.length, state, random.nextBoolean(), limits, continuation)) {
                    switch (result) {
                        case ReadResult.TaggedCommand command -> {
                            commands++;
                            assertThat(command.spec().allowedIn(state)).isTrue();
                        }
                        case ReadResult.ParseError error -> {
                            errors++;
                            assertThat(error.message()).matches("[\\x20-\\x7e]+");
                            error.tag().ifPresent(tag -> assertThat(tag).matches("[\\x21-\\x7e]+").doesNotContain("+"));
                            respond(error);
                            if (error.fatal()) {
                                fatalErrors++;
                            }
                        }
                        case ReadResult.EndOfStream _ -> {
                            // readAll has checked that no octet was left unread, unless a fatal error came just before
                        }
                    }
                }
            }
            assertThat(commands).isGreaterThan(ITERATIONS / 10);
            assertThat(errors).isGreaterThan(ITERATIONS / 10);
            assertThat(fatalErrors).as("inputs that end early, after a fatal error").isPositive();
        });
    }

    @Test
    void randomOctetsNeverBreakTheReader() {
        Random random = new Random(SEED + 1);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 3_000; i++) {
                byte[] wire = new byte[random.nextInt(300)];
                for (int j = 0; j < wire.length; j++) {
                    wire[j] = random.nextInt(3) == 0 ? SPECIALS[random.nextInt(SPECIALS.length)] : (byte) random.nextInt(256);
                }
                readAll(new ByteArrayInputStream(wire), wire.length, ImapState.SELECTED, random.nextBoolean(),
                        ImapLimits.defaults(), request -> LiteralDecision.accept());
            }
        });
    }

    /**
     * Reads to the end; every call but the last must consume at least one octet, and the end comes
     * only when every octet has been read, or right after a fatal error (ReadResult.ParseError).
     */
    private static List<ReadResult> readAll(InputStream in, int length, ImapState state, boolean utf8, ImapLimits limits,
                                            LiteralContinuation continuation) throws IOException {
        ImapCommandReader reader = new ImapCommandReader(in, limits);
        if (utf8) {
            reader.enableUtf8();
        }
        List<ReadResult> results = new ArrayList<>();
        while (true) {
            ReadResult result = reader.read(state, continuation);
            boolean afterFatal = !results.isEmpty() && results.getLast() instanceof ReadResult.ParseError e && e.fatal();
            results.add(result);
            if (afterFatal) {
                assertThat(result).as("the read after a fatal error").isInstanceOf(ReadResult.EndOfStream.class);
            }
            if (result instanceof ReadResult.EndOfStream) {
                if (!afterFatal) {
                    int unread = reader.bufferedBytes() + in.readAllBytes().length;
                    assertThat(unread).as("octets of %d left unread at the end of the stream", length).isZero();
                }
                return results;
            }
            assertThat(results.size()).as("results for %d octets", length).isLessThanOrEqualTo(length);
        }
    }

    private static void respond(ReadResult.ParseError error) {
        ImapResponseWriter writer = new ImapResponseWriter(new ByteArrayOutputStream());
        writer.parseError(error);
        writer.flush();
    }

    private static byte[] mutate(byte[] original, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] wire = original;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && wire.length > 0; m++) {
            int at = random.nextInt(wire.length);
            out.reset();
            switch (random.nextInt(7)) {
                case 0 -> { // flip one octet
                    wire = wire.clone();
                    wire[at] = (byte) random.nextInt(256);
                    continue;
                }
                case 1 -> { // insert a special octet
                    out.write(wire, 0, at);
                    out.write(SPECIALS[random.nextInt(SPECIALS.length)]);
                    out.write(wire, at, wire.length - at);
                }
                case 2 -> { // delete a range
                    int end = Math.min(wire.length, at + 1 + random.nextInt(8));
                    out.write(wire, 0, at);
                    out.write(wire, end, wire.length - end);
                }
                case 3 -> { // duplicate a range
                    int end = Math.min(wire.length, at + 1 + random.nextInt(16));
                    out.write(wire, 0, end);
                    out.write(wire, at, wire.length - at);
                }
                case 4 -> { // insert a token
                    out.write(wire, 0, at);
                    out.writeBytes(utf8(INSERTIONS[random.nextInt(INSERTIONS.length)]));
                    out.write(wire, at, wire.length - at);
                }
                case 5 -> out.write(wire, 0, at); // truncate
                default -> { // swap case of a letter or replace by a digit
                    wire = wire.clone();
                    wire[at] = (byte) (Character.isLetter(wire[at]) ? wire[at] ^ 0x20 : '0' + random.nextInt(10));
                    continue;
                }
            }
            wire = out.toByteArray();
        }
        return wire;
    }
}
