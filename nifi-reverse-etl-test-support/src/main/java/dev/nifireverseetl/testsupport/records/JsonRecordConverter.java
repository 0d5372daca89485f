package dev.nifireverseetl.testsupport.records;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts a parsed JSON object into a NiFi {@link Record} of a given schema. Fields the schema lacks are kept, with
 * their inferred type, so no input value is silently lost.
 */
final class JsonRecordConverter {

    private JsonRecordConverter() {
    }

    static Record toRecord(final JsonNode object, final RecordSchema schema) {
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final RecordField field : schema.getFields()) {
            final JsonNode value = object.get(field.getFieldName());
            if (value != null) {
                values.put(field.getFieldName(), toValue(value, field.getDataType()));
            }
        }
        final Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (schema.getField(field.getKey()).isEmpty()) {
                values.put(field.getKey(), toValue(field.getValue(), JsonSchemaInference.inferType(field.getValue())));
            }
        }
        return new MapRecord(schema, values, false, false);
    }

    static Object toValue(final JsonNode value, final DataType type) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (type == null) {
            return value.isValueNode() ? value.asText() : value.toString();
        }
        final RecordFieldType fieldType = type.getFieldType();
        switch (fieldType) {
            case BOOLEAN:
                return value.isBoolean() ? value.booleanValue() : Boolean.valueOf(value.asText());
            case INT:
                return value.isInt() ? value.intValue() : textOrNumber(value);
            case LONG:
                return value.canConvertToLong() && value.isIntegralNumber() ? value.longValue() : textOrNumber(value);
            case DOUBLE:
            case FLOAT:
                return value.isNumber() ? value.doubleValue() : textOrNumber(value);
            case DECIMAL:
                return value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText());
            case DATE:
                return parseDate(value.asText());
            case TIMESTAMP:
                return parseTimestamp(value.asText());
            case ARRAY:
                if (!value.isArray()) {
                    return value.asText();
                }
                final DataType elementType = ((ArrayDataType) type).getElementType();
                final Object[] items = new Object[value.size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = toValue(value.get(i), elementType);
                }
                return items;
            case RECORD:
                if (!value.isObject()) {
                    return value.asText();
                }
                return toRecord(value, ((RecordDataType) type).getChildSchema());
            default:
                return value.isValueNode() ? value.asText() : value.toString();
        }
    }

    private static Object textOrNumber(final JsonNode value) {
        if (value.isNumber()) {
            return value.numberValue();
        }
        return value.asText();
    }

    private static Object parseDate(final String text) {
        try {
            return Date.valueOf(LocalDate.parse(text));
        } catch (final DateTimeParseException e) {
            return text;
        }
    }

    private static Object parseTimestamp(final String text) {
        try {
            return Timestamp.from(OffsetDateTime.parse(text).toInstant());
        } catch (final DateTimeParseException e) {
            return text;
        }
    }
}
