package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Pattern;

/**
 * Converts an incoming field value (a JSON value of an sObject Collections record, or a Bulk CSV cell carried as a
 * JSON string) to the value the emulator stores, validating it as Salesforce does. Stored values: {@code String} for
 * text, ids, dates ({@code YYYY-MM-DD}) and datetimes ({@code yyyy-MM-ddTHH:mm:ss.SSS+0000}), {@code Boolean},
 * {@code Long} for int fields, {@code BigDecimal} for other numbers, and null.
 */
final class FieldValues {

    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    private static final Pattern DATE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}$");
    private static final DateTimeFormatter DATETIME_INPUT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendPattern("[XXX][XX][X]")
            .toFormatter();
    private static final DateTimeFormatter DATETIME_OUTPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private FieldValues() {
    }

    /**
     * @return the value to store (null clears the field)
     * @throws RecordError.Rejected with the record error Salesforce would report
     */
    static Object convert(final SObjectDefinition object, final FieldDefinition field, final JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw invalidType(object, field, value);
        }
        final FieldType type = field.type();
        if (type == FieldType.BOOLEAN) {
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            if (value.isTextual() && ("true".equalsIgnoreCase(value.textValue()) || "false".equalsIgnoreCase(value.textValue()))) {
                return Boolean.parseBoolean(value.textValue().toLowerCase());
            }
            throw invalidType(object, field, value);
        }
        if (type.isNumber()) {
            final BigDecimal number = number(value);
            if (number == null) {
                throw invalidType(object, field, value);
            }
            if (type == FieldType.INT) {
                try {
                    return number.longValueExact();
                } catch (final ArithmeticException e) {
                    throw invalidType(object, field, value);
                }
            }
            return number;
        }
        final String text = value.isTextual() ? value.textValue() : value.asText();
        if (type == FieldType.DATE) {
            if (!value.isTextual() || !DATE.matcher(text).matches()) {
                throw invalidType(object, field, value);
            }
            try {
                return LocalDate.parse(text).toString();
            } catch (final DateTimeParseException e) {
                throw invalidType(object, field, value);
            }
        }
        if (type == FieldType.DATETIME) {
            if (!value.isTextual()) {
                throw invalidType(object, field, value);
            }
            try {
                return OffsetDateTime.parse(text, DATETIME_INPUT).withOffsetSameInstant(ZoneOffset.UTC).format(DATETIME_OUTPUT);
            } catch (final DateTimeParseException e) {
                throw invalidType(object, field, value);
            }
        }
        if (type == FieldType.ID || type == FieldType.REFERENCE) {
            final String canonical = SalesforceIds.canonical(text);
            if (canonical == null) {
                throw new RecordError.Rejected(RecordError.of("MALFORMED_ID", field.name() + ": id value of incorrect type: " + text, field.name()));
            }
            return canonical;
        }
        if (field.length() > 0 && text.length() > field.length()) {
            throw new RecordError.Rejected(RecordError.of("STRING_TOO_LONG",
                    field.name() + ": data value too large: " + text + " (max length=" + field.length() + ")", field.name()));
        }
        if (type == FieldType.EMAIL && !text.isEmpty() && !EMAIL.matcher(text).matches()) {
            throw new RecordError.Rejected(RecordError.of("INVALID_EMAIL_ADDRESS", field.name() + ": invalid email address: " + text, field.name()));
        }
        if (type == FieldType.PICKLIST && !field.restrictedPicklistValues().isEmpty() && !field.restrictedPicklistValues().contains(text)) {
            throw new RecordError.Rejected(RecordError.of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    field.name() + ": bad value for restricted picklist field: " + text, field.name()));
        }
        return text;
    }

    private static BigDecimal number(final JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue().trim());
            } catch (final NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static RecordError.Rejected invalidType(final SObjectDefinition object, final FieldDefinition field, final JsonNode value) {
        return new RecordError.Rejected(RecordError.of("INVALID_TYPE_ON_FIELD_IN_RECORD",
                field.name() + ": value not of required type: " + (value.isTextual() ? value.textValue() : value.toString()), field.name()));
    }

    static String nowDateTime(final long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).format(DATETIME_OUTPUT);
    }
}
