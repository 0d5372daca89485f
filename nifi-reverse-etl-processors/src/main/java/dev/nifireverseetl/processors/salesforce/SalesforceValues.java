package dev.nifireverseetl.processors.salesforce;

import dev.nifireverseetl.processors.engine.InvalidValueException;
import org.apache.nifi.serialization.record.Record;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts record values to what Salesforce takes: JSON types for sObject Collections (numbers, {@code true}/
 * {@code false}, {@code null} clears), dates {@code YYYY-MM-DD}, datetimes ISO-8601 in UTC with {@code Z}
 * ({@code 2026-01-05T10:00:00.000Z}; a timestamp without zone is read as UTC), times {@code HH:mm:ss.SSSZ},
 * arrays as multi-select picklist values joined with {@code ;}, and a nested record as a reference by External ID
 * ({@code {"Account": {"Warehouse_Id__c": "A-1"}}}). {@link #toCsvCell} gives the Bulk API 2.0 CSV form
 * ({@code #N/A} for null).
 */
final class SalesforceValues {

    static final String CSV_NULL = "#N/A";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'");

    private SalesforceValues() {
    }

    static Object convert(final String field, final Object value) throws InvalidValueException {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            final double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new InvalidValueException("Field " + field + " holds a number Salesforce cannot store (NaN or infinite)");
            }
            return BigDecimal.valueOf(number).stripTrailingZeros();
        }
        if (value instanceof Number) {
            return value instanceof BigDecimal || value instanceof BigInteger ? value : ((Number) value).longValue();
        }
        if (value instanceof Date sqlDate) {
            return sqlDate.toLocalDate().toString();
        }
        if (value instanceof LocalDate localDate) {
            return localDate.toString();
        }
        if (value instanceof Time time) {
            return time.toLocalTime().format(TIME);
        }
        if (value instanceof LocalTime localTime) {
            return localTime.format(TIME);
        }
        if (value instanceof Timestamp timestamp) {
            return DATETIME.format(timestamp.toInstant());
        }
        if (value instanceof Instant instant) {
            return DATETIME.format(instant);
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return DATETIME.format(offsetDateTime.toInstant());
        }
        if (value instanceof ZonedDateTime zonedDateTime) {
            return DATETIME.format(zonedDateTime.toInstant());
        }
        if (value instanceof LocalDateTime localDateTime) {
            return DATETIME.format(localDateTime.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof Object[] array) {
            return joinPicklist(field, List.of(array));
        }
        if (value instanceof Collection<?> collection) {
            return joinPicklist(field, collection);
        }
        if (value instanceof Record record) {
            return reference(field, record.toMap());
        }
        if (value instanceof Map<?, ?> map) {
            return reference(field, map);
        }
        return value.toString();
    }

    private static String joinPicklist(final String field, final Collection<?> values) throws InvalidValueException {
        final List<String> parts = new ArrayList<>();
        for (final Object item : values) {
            if (item == null) {
                continue;
            }
            final Object converted = convert(field, item);
            if (converted instanceof Map) {
                throw new InvalidValueException("Field " + field + " is an array of records; Salesforce takes an array only as multi-select picklist values");
            }
            parts.add(converted.toString());
        }
        return String.join(";", parts);
    }

    private static Map<String, Object> reference(final String field, final Map<?, ?> map) throws InvalidValueException {
        final Map<String, Object> reference = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            final Object converted = convert(field + "." + entry.getKey(), entry.getValue());
            if (converted instanceof Map) {
                throw new InvalidValueException("Field " + field + " nests records more than one level; a reference names one External ID field");
            }
            reference.put(String.valueOf(entry.getKey()), converted);
        }
        if (reference.size() != 1) {
            throw new InvalidValueException("Field " + field + " is a record: as a reference by External ID it must hold exactly one non-null field, "
                    + "for example {\"Warehouse_Id__c\": \"A-1\"}");
        }
        return reference;
    }

    /**
     * @return the Bulk API 2.0 CSV cell of a converted value ({@code #N/A} sets null; an empty string too, as Salesforce
     * stores empty text as null)
     */
    static String toCsvCell(final Object converted) {
        if (converted == null) {
            return CSV_NULL;
        }
        if (converted instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        final String text = converted.toString();
        return text.isEmpty() ? CSV_NULL : text;
    }
}
