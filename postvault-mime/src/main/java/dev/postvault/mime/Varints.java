package dev.postvault.mime;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 integers for the compact binary forms in this package. */
final class Varints {
    private Varints() {}

    static void write(DataOutput out, long value) throws IOException {
        if (value < 0) throw new IllegalArgumentException("negative varint " + value);
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readLong(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new IOException("varint too long");
    }

    static int readInt(DataInput in) throws IOException {
        long v = readLong(in);
        if (v < 0 || v > Integer.MAX_VALUE) throw new IOException("varint out of int range: " + v);
        return (int) v;
    }
}
