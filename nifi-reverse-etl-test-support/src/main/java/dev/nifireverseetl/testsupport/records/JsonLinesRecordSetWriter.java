package dev.nifireverseetl.testsupport.records;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.nifi.serialization.AbstractRecordSetWriter;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.temporal.TemporalAccessor;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Writes each record as one JSON object per line: the fields of the writer schema in order (or of the record's own
 * schema when none is given), then any extra fields the record holds. Timestamps are ISO-8601 instants, dates
 * {@code yyyy-MM-dd}.
 */
final class JsonLinesRecordSetWriter extends AbstractRecordSetWriter {

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final byte[] NEWLINE = {'\n'};

    private final RecordSchema schema;
    private final JsonGenerator generator;

    JsonLinesRecordSetWriter(final OutputStream out, final RecordSchema schema) throws IOException {
        super(out);
        this.schema = schema;
        this.generator = JSON_FACTORY.createGenerator(new NonClosingOutputStream(out), JsonEncoding.UTF8);
    }

    @Override
    protected Map<String, String> writeRecord(final Record record) throws IOException {
        writeRecordObject(record, schema == null ? record.getSchema() : schema);
        generator.flush();
        getOutputStream().write(NEWLINE);
        return Map.of();
    }

    private void writeRecordObject(final Record record, final RecordSchema recordSchema) throws IOException {
        generator.writeStartObject();
        for (final RecordField field : recordSchema.getFields()) {
            final Object value = record.getValue(field);
            if (value != null || record.getRawFieldNames().contains(field.getFieldName())) {
                generator.writeFieldName(field.getFieldName());
                writeValue(value);
            }
        }
        final Set<String> rawNames = record.getRawFieldNames();
        for (final String name : rawNames) {
            if (recordSchema.getField(name).isEmpty() && record.getSchema().getField(name).isEmpty()) {
                generator.writeFieldName(name);
                writeValue(record.getValue(name));
            }
        }
        generator.writeEndObject();
    }

    private void writeValue(final Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof Record nested) {
            writeRecordObject(nested, nested.getSchema());
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger bigInteger) {
            generator.writeNumber(bigInteger);
        } else if (value instanceof BigDecimal decimal) {
            generator.writeNumber(decimal);
        } else if (value instanceof Number number) {
            generator.writeNumber(number.doubleValue());
        } else if (value instanceof Timestamp timestamp) {
            generator.writeString(timestamp.toInstant().toString());
        } else if (value instanceof Date date) {
            generator.writeString(date.toLocalDate().toString());
        } else if (value instanceof Time time) {
            generator.writeString(time.toLocalTime().toString());
        } else if (value instanceof java.util.Date date) {
            generator.writeString(Instant.ofEpochMilli(date.getTime()).toString());
        } else if (value instanceof TemporalAccessor temporal) {
            generator.writeString(temporal.toString());
        } else if (value instanceof Object[] array) {
            generator.writeStartArray();
            for (final Object item : array) {
                writeValue(item);
            }
            generator.writeEndArray();
        } else if (value instanceof Collection<?> collection) {
            generator.writeStartArray();
            for (final Object item : collection) {
                writeValue(item);
            }
            generator.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(entry.getValue());
            }
            generator.writeEndObject();
        } else {
            generator.writeString(value.toString());
        }
    }

    @Override
    public String getMimeType() {
        return "application/x-ndjson";
    }

    @Override
    public void close() throws IOException {
        generator.close();
        super.close();
    }

    /**
     * Keeps the generator from closing the FlowFile stream, which the writer owns.
     */
    private static final class NonClosingOutputStream extends OutputStream {
        private final OutputStream delegate;

        private NonClosingOutputStream(final OutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(final int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            delegate.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }
    }
}
