package dev.nifireverseetl.testsupport.records;

import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLinesTest {

    private static RecordReader read(final String text) throws Exception {
        return JsonLines.reader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void infersScalarNestedAndArrayTypes() throws Exception {
        final String input = """
                {"id":1,"name":"Ann","score":1.5,"active":true,"note":null,"born":"1990-03-07","seen":"2026-01-05T10:00:00Z","address":{"city":"Paris"},"tags":["a","b"]}
                {"id":12345678901,"name":"Bob","score":2,"active":false,"note":"x","born":"1991-04-08","seen":"2026-01-06T10:00:00.5Z","address":{"city":"Rome","zip":"00100"},"tags":[]}
                """;
        try (RecordReader reader = read(input)) {
            final RecordSchema schema = reader.getSchema();
            assertEquals(RecordFieldType.LONG, schema.getDataType("id").orElseThrow().getFieldType());
            assertEquals(RecordFieldType.STRING, schema.getDataType("name").orElseThrow().getFieldType());
            assertEquals(RecordFieldType.DOUBLE, schema.getDataType("score").orElseThrow().getFieldType());
            assertEquals(RecordFieldType.BOOLEAN, schema.getDataType("active").orElseThrow().getFieldType());
            assertEquals(RecordFieldType.STRING, schema.getDataType("note").orElseThrow().getFieldType());
            assertEquals(RecordFieldType.DATE, schema.getDataType("born").orElseThrow().getFieldType());
            assertEquals(RecordFieldType.TIMESTAMP, schema.getDataType("seen").orElseThrow().getFieldType());
            final RecordDataType address = assertInstanceOf(RecordDataType.class, schema.getDataType("address").orElseThrow());
            assertTrue(address.getChildSchema().getField("zip").isPresent(), "nested fields of all samples are merged");
            final ArrayDataType tags = assertInstanceOf(ArrayDataType.class, schema.getDataType("tags").orElseThrow());
            assertEquals(RecordFieldType.STRING, tags.getElementType().getFieldType());

            final Record first = reader.nextRecord();
            assertEquals(1L, ((Number) first.getValue("id")).longValue());
            assertNull(first.getValue("note"));
            assertEquals(Date.valueOf("1990-03-07"), first.getValue("born"));
            assertEquals(Timestamp.from(Instant.parse("2026-01-05T10:00:00Z")), first.getValue("seen"));
            assertEquals("Paris", ((Record) first.getValue("address")).getValue("city"));
            assertArrayEquals(new Object[]{"a", "b"}, (Object[]) first.getValue("tags"));
            assertEquals(12345678901L, reader.nextRecord().getValue("id"));
            assertNull(reader.nextRecord());
        }
    }

    @Test
    void roundTripsThroughTheWriter() throws Exception {
        final String input = """
                {"id":1,"name":"Ann","score":1.5,"active":true,"note":null,"born":"1990-03-07","seen":"2026-01-05T10:00:00Z","address":{"city":"Paris"},"tags":["a","b"]}
                """;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordReader reader = read(input)) {
            final RecordSetWriter writer = JsonLines.writer(out, reader.getSchema());
            writer.beginRecordSet();
            Record record;
            while ((record = reader.nextRecord()) != null) {
                writer.write(record);
            }
            assertEquals(1, writer.finishRecordSet().getRecordCount());
            writer.close();
        }
        assertEquals(input, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streamsPastTheInferenceSample() throws Exception {
        final StringBuilder input = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            input.append("{\"id\":").append(i).append("}\n");
        }
        int count = 0;
        try (RecordReader reader = read(input.toString())) {
            while (reader.nextRecord() != null) {
                count++;
            }
        }
        assertEquals(1000, count);
    }

    @Test
    void reportsTheLineOfMalformedInput() throws Exception {
        final StringBuilder input = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            input.append("{\"id\":").append(i).append("}\n");
        }
        input.append("{not json\n");
        try (RecordReader reader = read(input.toString())) {
            final MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> {
                while (reader.nextRecord() != null) {
                    continue;
                }
            });
            assertTrue(e.getMessage().startsWith("Line 151 "), e.getMessage());
        }
        assertThrows(MalformedRecordException.class, () -> read("[1,2]\n"));
    }

    @Test
    void emptyInputHasNoRecords() throws Exception {
        try (RecordReader reader = read("")) {
            assertEquals(0, reader.getSchema().getFieldCount());
            assertNull(reader.nextRecord());
        }
    }
}
