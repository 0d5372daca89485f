package dev.nifireverseetl.state.embedded;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link CompactOutput} wrote.
 */
final class CompactInput {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] buffer;
    private int position;

    CompactInput(final byte[] buffer) {
        this.buffer = buffer;
    }

    int readByte() {
        return buffer[position++] & 0xFF;
    }

    long readVarLong() {
        long result = 0;
        int shift = 0;
        int current;
        do {
            current = readByte();
            result |= (long) (current & 0x7F) << shift;
            shift += 7;
        } while ((current & 0x80) != 0);
        return result;
    }

    String readString() {
        final long lengthPlusOne = readVarLong();
        if (lengthPlusOne == 0) {
            return null;
        }
        final int size = (int) (lengthPlusOne - 1);
        final String value = new String(buffer, position, size, StandardCharsets.UTF_8);
        position += size;
        return value;
    }

    String readHashText() {
        final int kind = readByte();
        return switch (kind) {
            case HashTextKind.NULL -> null;
            case HashTextKind.HEX_64 -> readHex(8);
            case HashTextKind.HEX_128 -> readHex(16);
            case HashTextKind.TEXT -> readString();
            default -> throw new IllegalStateException("Unknown hash encoding " + kind + " in the state store");
        };
    }

    private String readHex(final int byteCount) {
        final char[] chars = new char[byteCount * 2];
        for (int i = 0; i < byteCount; i++) {
            final int value = buffer[position++] & 0xFF;
            chars[i * 2] = HEX[value >>> 4];
            chars[i * 2 + 1] = HEX[value & 0x0F];
        }
        return new String(chars);
    }
}
