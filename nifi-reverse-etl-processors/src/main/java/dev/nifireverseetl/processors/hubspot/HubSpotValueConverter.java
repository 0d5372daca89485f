package dev.nifireverseetl.processors.hubspot;

import dev.nifireverseetl.processors.engine.InvalidValueException;
import org.apache.nifi.serialization.record.Record;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Converts record values to HubSpot property values, which always travel as strings: numbers as plain decimals,
 * booleans as {@code "true"}/{@code "false"}, dates as epoch milliseconds at midnight UTC, timestamps as epoch
 * milliseconds (before 1970: ISO {@code YYYY-MM-DD} and ISO-8601, as negative epoch milliseconds are not a documented
 * form), arrays as {@code ;}-separated values (multi-checkbox), null as {@code ""} (clears the property).
 */
final class HubSpotValueConverter {

    private HubSpotValueConverter() {
    }

    static String convert(final String property, final Object value) throws InvalidValueException {
        return switch (value) {
            case null -> "";
            case String text -> text;
            case Boolean bool -> bool.toString();
            case Integer number -> number.toString();
            case Long number -> number.toString();
            case Short number -> number.toString();
            case Byte number -> number.toString();
            case BigInteger number -> number.toString();
            case BigDecimal number -> number.stripTrailingZeros().toPlainString();
            case Double number -> decimal(property, number);
            case Float number -> decimal(property, number.doubleValue());
            case Date date -> date(date.toLocalDate());
            case Timestamp timestamp -> instant(timestamp.toInstant());
            case LocalDate date -> date(date);
            case LocalDateTime dateTime -> instant(dateTime.toInstant(ZoneOffset.UTC));
            case Instant instant -> instant(instant);
            case OffsetDateTime dateTime -> instant(dateTime.toInstant());
            case ZonedDateTime dateTime -> instant(dateTime.toInstant());
            case Object[] values -> joinMultiSelect(property, Arrays.asList(values));
            case Collection<?> values -> joinMultiSelect(property, values);
            case Record ignored -> throw new InvalidValueException("Property '" + property + "' holds a nested record; HubSpot properties take single values");
            case Map<?, ?> ignored -> throw new InvalidValueException("Property '" + property + "' holds a map; HubSpot properties take single values");
            default -> value.toString();
        };
    }

    private static String decimal(final String property, final double number) throws InvalidValueException {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw new InvalidValueException("Property '" + property + "' holds a number HubSpot cannot store (NaN or infinite)");
        }
        return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
    }

    /**
     * @return epoch milliseconds at midnight UTC; a date before 1970 as ISO {@code YYYY-MM-DD} (both documented forms;
     * negative epoch milliseconds are not a documented form)
     */
    private static String date(final LocalDate date) {
        final long millis = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return millis < 0 ? date.toString() : String.valueOf(millis);
    }

    /**
     * @return epoch milliseconds; an instant before 1970 as ISO-8601 (negative epoch milliseconds are not a documented form)
     */
    private static String instant(final Instant instant) {
        final long millis = instant.toEpochMilli();
        return millis < 0 ? instant.toString() : String.valueOf(millis);
    }

    private static String joinMultiSelect(final String property, final Collection<?> values) throws InvalidValueException {
        final StringJoiner joiner = new StringJoiner(";");
        for (final Object element : values) {
            if (element == null) {
                continue;
            }
            final String text = convert(property, element);
            if (text.contains(";")) {
                throw new InvalidValueException("A value of multi-select property '" + property + "' contains ';', which HubSpot uses to separate values");
            }
            joiner.add(text);
        }
        return joiner.toString();
    }
}
