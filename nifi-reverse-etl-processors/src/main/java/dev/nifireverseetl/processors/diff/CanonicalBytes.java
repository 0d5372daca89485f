package dev.nifireverseetl.processors.diff;

import org.apache.nifi.serialization.record.Record;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The canonical byte form of a field value, the input of its hash. Every value is a type tag and a normalised text,
 * so the same warehouse value always gives the same bytes whatever reader produced it:
 * <ul>
 *     <li>numbers ({@code n}) by numeric value: integers as decimal digits, decimals and floating point as
 *     {@code BigDecimal.stripTrailingZeros().toPlainString()}, so 1, 1L, 1.0 and 1.00 are the same value (a type-only
 *     change is not a change); NaN and infinities as their names;</li>
 *     <li>strings ({@code s}) as UTF-8; booleans ({@code b});</li>
 *     <li>instants ({@code t}: Timestamp, java.util.Date, Instant, OffsetDateTime, ZonedDateTime) as epoch seconds
 *     and nanoseconds, so time zone and text format do not matter; dates ({@code d}), times ({@code h}) and
 *     local date-times ({@code l}) as ISO-8601;</li>
 *     <li>arrays and collections ({@code a}) in order, records and maps ({@code r}) by field name in sorted order,
 *     null members left out (as at the top level); every member length-prefixed, so no two values share bytes.</li>
 * </ul>
 */
final class CanonicalBytes {

    private static final double LONG_SAFE = 9.007199254740992E15;

    private byte[] buffer = new byte[256];
    private int length;

    void reset() {
        length = 0;
    }

    byte[] bytes() {
        return buffer;
    }

    int length() {
        return length;
    }

    void writeValue(final Object value) {
        if (value instanceof String text) {
            writeByte('s');
            writeUtf8(text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            writeByte('n');
            writeAscii(Long.toString(((Number) value).longValue()));
        } else if (value instanceof Double number) {
            writeDouble(number);
        } else if (value instanceof Float number) {
            writeFloat(number);
        } else if (value instanceof BigDecimal decimal) {
            writeByte('n');
            writeAscii(plain(decimal));
        } else if (value instanceof BigInteger integer) {
            writeByte('n');
            writeAscii(integer.toString());
        } else if (value instanceof Boolean bool) {
            writeByte('b');
            writeByte(bool ? 1 : 0);
        } else if (value instanceof Timestamp timestamp) {
            writeInstant(timestamp.toInstant());
        } else if (value instanceof java.sql.Date date) {
            writeByte('d');
            writeAscii(date.toLocalDate().toString());
        } else if (value instanceof Time time) {
            writeByte('h');
            writeAscii(time.toLocalTime().toString());
        } else if (value instanceof java.util.Date date) {
            writeInstant(date.toInstant());
        } else if (value instanceof Instant instant) {
            writeInstant(instant);
        } else if (value instanceof OffsetDateTime dateTime) {
            writeInstant(dateTime.toInstant());
        } else if (value instanceof ZonedDateTime dateTime) {
            writeInstant(dateTime.toInstant());
        } else if (value instanceof LocalDate date) {
            writeByte('d');
            writeAscii(date.toString());
        } else if (value instanceof LocalTime time) {
            writeByte('h');
            writeAscii(time.toString());
        } else if (value instanceof LocalDateTime dateTime) {
            writeByte('l');
            writeAscii(dateTime.toString());
        } else if (value instanceof Character character) {
            writeByte('s');
            writeUtf8(character.toString());
        } else if (value instanceof byte[] binary) {
            writeByte('x');
            ensure(binary.length);
            System.arraycopy(binary, 0, buffer, length, binary.length);
            length += binary.length;
        } else if (value instanceof Record record) {
            writeMembers(record.toMap());
        } else if (value instanceof Map<?, ?> map) {
            writeMembers(map);
        } else if (value instanceof Object[] array) {
            writeElements(Arrays.asList(array));
        } else if (value instanceof Collection<?> collection) {
            writeElements(collection);
        } else {
            writeByte('o');
            writeUtf8(String.valueOf(value));
        }
    }

    private void writeDouble(final double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            writeByte('n');
            writeAscii(Double.toString(number));
        } else if (number == Math.rint(number) && Math.abs(number) < LONG_SAFE) {
            writeByte('n');
            writeAscii(Long.toString((long) number));
        } else {
            writeByte('n');
            final String text = Double.toString(number);
            // without an exponent, Double.toString is already the plain form without trailing zeros
            writeAscii(text.indexOf('E') < 0 ? text : plain(new BigDecimal(text)));
        }
    }

    private void writeFloat(final float number) {
        if (Float.isNaN(number) || Float.isInfinite(number)) {
            writeByte('n');
            writeAscii(Float.toString(number));
        } else {
            writeByte('n');
            writeAscii(plain(new BigDecimal(Float.toString(number))));
        }
    }

    private static String plain(final BigDecimal decimal) {
        return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }

    private void writeInstant(final Instant instant) {
        writeByte('t');
        writeAscii(Long.toString(instant.getEpochSecond()));
        writeByte('.');
        writeAscii(Integer.toString(instant.getNano()));
    }

    private void writeMembers(final Map<?, ?> map) {
        writeByte('r');
        final List<String> names = new ArrayList<>(map.size());
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() != null) {
                names.add(String.valueOf(entry.getKey()));
            }
        }
        names.sort(null);
        for (final String name : names) {
            Object value = map.get(name);
            if (value == null) {
                value = findByText(map, name);
            }
            writeLengthPrefixed(name);
            writeNested(value);
        }
    }

    private static Object findByText(final Map<?, ?> map, final String name) {
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            if (name.equals(String.valueOf(entry.getKey()))) {
                return entry.getValue();
            }
        }
        return null;
    }

    private void writeElements(final Collection<?> elements) {
        writeByte('a');
        writeInt(elements.size());
        for (final Object element : elements) {
            if (element == null) {
                writeInt(0);
            } else {
                writeNested(element);
            }
        }
    }

    private void writeNested(final Object value) {
        final int lengthAt = length;
        writeInt(0);
        final int start = length;
        writeValue(value);
        final int size = length - start;
        buffer[lengthAt] = (byte) (size >>> 24);
        buffer[lengthAt + 1] = (byte) (size >>> 16);
        buffer[lengthAt + 2] = (byte) (size >>> 8);
        buffer[lengthAt + 3] = (byte) size;
    }

    private void writeLengthPrefixed(final String text) {
        final int lengthAt = length;
        writeInt(0);
        final int start = length;
        writeUtf8(text);
        final int size = length - start;
        buffer[lengthAt] = (byte) (size >>> 24);
        buffer[lengthAt + 1] = (byte) (size >>> 16);
        buffer[lengthAt + 2] = (byte) (size >>> 8);
        buffer[lengthAt + 3] = (byte) size;
    }

    void writeByte(final int value) {
        ensure(1);
        buffer[length++] = (byte) value;
    }

    void writeInt(final int value) {
        ensure(4);
        buffer[length++] = (byte) (value >>> 24);
        buffer[length++] = (byte) (value >>> 16);
        buffer[length++] = (byte) (value >>> 8);
        buffer[length++] = (byte) value;
    }

    void writeLong(final long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[length++] = (byte) (value >>> shift);
        }
    }

    private void writeAscii(final String text) {
        final int size = text.length();
        ensure(size);
        for (int i = 0; i < size; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    void writeUtf8(final String text) {
        final int size = text.length();
        ensure(size * 3);
        for (int i = 0; i < size; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                buffer[length++] = (byte) c;
            } else if (c < 0x800) {
                buffer[length++] = (byte) (0xC0 | c >> 6);
                buffer[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < size && Character.isLowSurrogate(text.charAt(i + 1))) {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buffer[length++] = (byte) (0xF0 | codePoint >> 18);
                buffer[length++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                buffer[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                buffer[length++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                buffer[length++] = (byte) (0xE0 | c >> 12);
                buffer[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                buffer[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void ensure(final int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
