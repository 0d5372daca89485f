package dev.nifireverseetl.state.embedded;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the few primitives the compact state encoding needs: variable-length integers, strings
 * and hash texts (hexadecimal hashes are stored as their bytes).
 */
final class CompactOutput {

    private byte[] buffer = new byte[128];
    private int length;

    void writeByte(final int value) {
        ensure(1);
        buffer[length++] = (byte) value;
    }

    void writeVarLong(final long value) {
        long remaining = value;
        while ((remaining & ~0x7FL) != 0) {
            writeByte((int) ((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        writeByte((int) remaining);
    }

    /**
     * Writes a nullable string: 0 for null, else length + 1 and the UTF-8 bytes.
     */
    void writeString(final String value) {
        if (value == null) {
            writeVarLong(0);
            return;
        }
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length + 1L);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /**
     * Writes a nullable hash text: lowercase hexadecimal of 16 or 32 digits as 8 or 16 bytes, anything else as a string.
     */
    void writeHashText(final String value) {
        if (value == null) {
            writeByte(HashTextKind.NULL);
        } else if (value.length() == 16 && HashTextKind.isLowerHex(value)) {
            writeByte(HashTextKind.HEX_64);
            writeHex(value);
        } else if (value.length() == 32 && HashTextKind.isLowerHex(value)) {
            writeByte(HashTextKind.HEX_128);
            writeHex(value);
        } else {
            writeByte(HashTextKind.TEXT);
            writeString(value);
        }
    }

    private void writeHex(final String value) {
        ensure(value.length() / 2);
        for (int i = 0; i < value.length(); i += 2) {
            buffer[length++] = (byte) ((Character.digit(value.charAt(i), 16) << 4) | Character.digit(value.charAt(i + 1), 16));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    private void ensure(final int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
