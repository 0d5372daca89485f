package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.RowKey;
import org.apache.nifi.serialization.record.Record;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Date;
import java.util.List;

/**
 * Builds the canonical key of a row from its key fields. Key values become text: numbers by numeric value (1 and 1.0
 * are the same key), timestamps as ISO-8601 instants, everything else by its text. A null, missing or empty key value
 * makes the row invalid, and so does a number that is not finite (NaN, or out of the range of a double: it has no exact text).
 */
final class KeyExtractor {

    private final List<String> keyFields;

    KeyExtractor(final List<String> keyFields) {
        this.keyFields = List.copyOf(keyFields);
    }

    List<String> keyFields() {
        return keyFields;
    }

    /**
     * @return the canonical key, or null when a key value is null, missing, empty or not a finite number
     */
    String canonicalKey(final Record record) {
        final StringBuilder canonical = new StringBuilder(16 * keyFields.size()).append('[');
        for (int i = 0; i < keyFields.size(); i++) {
            final String text = keyText(record.getValue(keyFields.get(i)));
            if (text == null || text.isEmpty()) {
                return null;
            }
            if (i > 0) {
                canonical.append(',');
            }
            appendJsonString(canonical, text);
        }
        return canonical.append(']').toString();
    }

    /**
     * Appends a JSON string exactly as {@link RowKey#canonical()} (Jackson) writes it: quotes, backslashes and control
     * characters escaped, everything else as is.
     */
    private static void appendJsonString(final StringBuilder canonical, final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                canonical.append(JsonText.quote(text));
                return;
            }
        }
        canonical.append('"').append(text).append('"');
    }

    /**
     * @return the name of the first key field without a value, for the error message
     */
    String firstMissingField(final Record record) {
        for (final String field : keyFields) {
            final String text = keyText(record.getValue(field));
            if (text == null || text.isEmpty()) {
                return field;
            }
        }
        return keyFields.get(0);
    }

    static String keyText(final Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            if (value instanceof Number number && !(value instanceof BigDecimal) && !Double.isFinite(number.doubleValue())) {
                return null;
            }
            final BigDecimal decimal = value instanceof BigDecimal exact ? exact : new BigDecimal(value.toString());
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.sql.Date || value instanceof Time) {
            return value.toString();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        return value.toString();
    }
}
