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
        } else if (!(value.length() == 16 && writeHex(HashTextKind.HEX_64, value) || value.length() == 32 && writeHex(HashTextKind.HEX_128, value))) {
            writeByte(HashTextKind.TEXT);
            writeString(value);
        }
    }

    /**
     * Writes the tag and the bytes of lower-case hexadecimal text in one pass.
     *
     * @return false (with nothing written) when the text is not lower-case hexadecimal
     */
    private boolean writeHex(final int kind, final String value) {
        ensure(1 + value.length() / 2);
        final int start = length;
        buffer[length++] = (byte) kind;
        for (int i = 0; i < value.length(); i += 2) {
            final int high = lowerHexDigit(value.charAt(i));
            final int low = lowerHexDigit(value.charAt(i + 1));
            if ((high | low) < 0) {
                length = start;
                return false;
            }
            buffer[length++] = (byte) (high << 4 | low);
        }
        return true;
    }

    private static int lowerHexDigit(final char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
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
