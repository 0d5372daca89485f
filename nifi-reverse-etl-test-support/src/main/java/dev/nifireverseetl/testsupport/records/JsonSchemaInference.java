package dev.nifireverseetl.testsupport.records;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers a record schema from sample JSON objects: strings, integers (int or long), decimals (double), booleans,
 * nulls, ISO-8601 timestamps and dates (as TIMESTAMP and DATE), nested objects (records) and arrays. Conflicting
 * types widen (int to long to double) or fall back to string. Every field is nullable.
 */
final class JsonSchemaInference {

    private JsonSchemaInference() {
    }

    static RecordSchema infer(final List<JsonNode> samples) {
        final Map<String, DataType> types = new LinkedHashMap<>();
        for (final JsonNode sample : samples) {
            mergeObject(types, sample);
        }
        return toSchema(types);
    }

    private static void mergeObject(final Map<String, DataType> types, final JsonNode object) {
        final Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final DataType inferred = inferType(field.getValue());
            final DataType known = types.get(field.getKey());
            types.put(field.getKey(), known == null ? inferred : widen(known, inferred));
        }
    }

    private static RecordSchema toSchema(final Map<String, DataType> types) {
        final List<RecordField> fields = new ArrayList<>(types.size());
        for (final Map.Entry<String, DataType> entry : types.entrySet()) {
            final DataType type = entry.getValue() == null ? RecordFieldType.STRING.getDataType() : entry.getValue();
            fields.add(new RecordField(entry.getKey(), type, true));
        }
        return new SimpleRecordSchema(fields);
    }

    /**
     * @return the type of one JSON value, or null for JSON null (unknown yet)
     */
    static DataType inferType(final JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isBoolean()) {
            return RecordFieldType.BOOLEAN.getDataType();
        }
        if (value.isInt()) {
            return RecordFieldType.INT.getDataType();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? RecordFieldType.LONG.getDataType() : RecordFieldType.DECIMAL.getDecimalDataType(38, 0);
        }
        if (value.isNumber()) {
            return RecordFieldType.DOUBLE.getDataType();
        }
        if (value.isTextual()) {
            return inferTextType(value.textValue());
        }
        if (value.isArray()) {
            DataType element = null;
            for (final JsonNode item : value) {
                final DataType itemType = inferType(item);
                element = element == null ? itemType : widen(element, itemType);
            }
            return RecordFieldType.ARRAY.getArrayDataType(element == null ? RecordFieldType.STRING.getDataType() : element);
        }
        if (value.isObject()) {
            final Map<String, DataType> nested = new LinkedHashMap<>();
            mergeObject(nested, value);
            return RecordFieldType.RECORD.getRecordDataType(toSchema(nested));
        }
        return RecordFieldType.STRING.getDataType();
    }

    private static DataType inferTextType(final String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            try {
                LocalDate.parse(text);
                return RecordFieldType.DATE.getDataType();
            } catch (final DateTimeParseException ignored) {
                return RecordFieldType.STRING.getDataType();
            }
        }
        if (text.length() >= 20 && text.length() <= 35 && text.charAt(10) == 'T' && text.charAt(4) == '-') {
            try {
                OffsetDateTime.parse(text);
                return RecordFieldType.TIMESTAMP.getDataType();
            } catch (final DateTimeParseException ignored) {
                return RecordFieldType.STRING.getDataType();
            }
        }
        return RecordFieldType.STRING.getDataType();
    }

    static DataType widen(final DataType known, final DataType other) {
        if (known == null) {
            return other;
        }
        if (other == null || known.equals(other)) {
            return known;
        }
        final RecordFieldType a = known.getFieldType();
        final RecordFieldType b = other.getFieldType();
        if (isNumeric(a) && isNumeric(b)) {
            if (a == RecordFieldType.DOUBLE || b == RecordFieldType.DOUBLE) {
                return RecordFieldType.DOUBLE.getDataType();
            }
            if (a == RecordFieldType.DECIMAL || b == RecordFieldType.DECIMAL) {
                return RecordFieldType.DECIMAL.getDecimalDataType(38, 0);
            }
            return RecordFieldType.LONG.getDataType();
        }
        if (a == RecordFieldType.RECORD && b == RecordFieldType.RECORD) {
            final Map<String, DataType> merged = new LinkedHashMap<>();
            for (final RecordField field : ((RecordDataType) known).getChildSchema().getFields()) {
                merged.put(field.getFieldName(), field.getDataType());
            }
            for (final RecordField field : ((RecordDataType) other).getChildSchema().getFields()) {
                merged.put(field.getFieldName(), widen(merged.get(field.getFieldName()), field.getDataType()));
            }
            return RecordFieldType.RECORD.getRecordDataType(toSchema(merged));
        }
        if (a == RecordFieldType.ARRAY && b == RecordFieldType.ARRAY) {
            return RecordFieldType.ARRAY.getArrayDataType(widen(((ArrayDataType) known).getElementType(), ((ArrayDataType) other).getElementType()));
        }
        return RecordFieldType.STRING.getDataType();
    }

    private static boolean isNumeric(final RecordFieldType type) {
        return type == RecordFieldType.INT || type == RecordFieldType.LONG || type == RecordFieldType.DOUBLE || type == RecordFieldType.DECIMAL;
    }
}
