package dev.nifireverseetl.processors.zendesk;

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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts record values to the JSON values Zendesk takes: strings, numbers, booleans as such; dates as
 * {@code YYYY-MM-DD} (date custom fields); timestamps as ISO-8601 UTC; arrays as JSON arrays (tags, domain_names);
 * nested records and maps as objects; {@code tags} / {@code domain_names} given as text are split on commas.
 */
public final class ZendeskValues {

    private ZendeskValues() {
    }

    /**
     * @return the JSON-serializable value (String, Number, Boolean, null, List or Map)
     * @throws IllegalArgumentException when the value cannot be sent (for example NaN)
     */
    public static Object toJson(final String field, final Object value) {
        if (value == null) {
            return null;
        }
        if (("tags".equals(field) || "domain_names".equals(field)) && value instanceof String text) {
            final List<String> parts = new ArrayList<>();
            for (final String part : text.split(",")) {
                if (!part.isBlank()) {
                    parts.add(part.trim());
                }
            }
            return parts;
        }
        return convert(field, value);
    }

    private static Object convert(final String field, final Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            final double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException("Field " + field + " is not a finite number");
            }
            return value;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Character character) {
            return character.toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof Time time) {
            return time.toLocalTime().toString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof LocalDate || value instanceof LocalTime) {
            return value.toString();
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toInstant(ZoneOffset.UTC).toString();
        }
        if (value instanceof Instant) {
            return value.toString();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant().toString();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant().toString();
        }
        if (value instanceof Object[] array) {
            final List<Object> list = new ArrayList<>();
            for (final Object element : array) {
                list.add(convert(field, element));
            }
            return list;
        }
        if (value instanceof List<?> items) {
            final List<Object> list = new ArrayList<>();
            for (final Object element : items) {
                list.add(convert(field, element));
            }
            return list;
        }
        if (value instanceof Record record) {
            final Map<String, Object> map = new LinkedHashMap<>();
            for (final String name : record.getRawFieldNames()) {
                map.put(name, convert(field + "." + name, record.getValue(name)));
            }
            return map;
        }
        if (value instanceof Map<?, ?> entries) {
            final Map<String, Object> map = new LinkedHashMap<>();
            for (final Map.Entry<?, ?> entry : entries.entrySet()) {
                map.put(String.valueOf(entry.getKey()), convert(field + "." + entry.getKey(), entry.getValue()));
            }
            return map;
        }
        if (value instanceof Number number) {
            return number;
        }
        throw new IllegalArgumentException("Field " + field + " has a value of type " + value.getClass().getSimpleName() + " that Zendesk cannot take");
    }
}
