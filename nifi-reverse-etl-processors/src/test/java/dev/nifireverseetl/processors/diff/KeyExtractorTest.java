package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.RowKey;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KeyExtractorTest {

    private final KeyExtractor extractor = new KeyExtractor(List.of("tenant", "id"));

    @Test
    void canonicalKeyIsTheRowKeyFormAndRoundTrips() {
        for (final String tenant : List.of("acme", "quote\"d", "back\\slash", "tab\there", "ünïcødé", "[\"x\"]")) {
            final String canonical = extractor.canonicalKey(record(tenant, 42L));
            assertEquals(RowKey.of(List.of(tenant, "42")).canonical(), canonical);
            assertEquals(List.of(tenant, "42"), RowKey.parse(canonical).values());
        }
    }

    @Test
    void numericKeysByValueAndMissingValuesAreInvalid() {
        assertEquals(extractor.canonicalKey(record("a", 1L)), extractor.canonicalKey(record("a", new BigDecimal("1.0"))));
        assertNull(extractor.canonicalKey(record("a", null)));
        assertNull(extractor.canonicalKey(record("", 1L)));
        assertEquals("id", extractor.firstMissingField(record("a", null)));
    }

    private static MapRecord record(final String tenant, final Object id) {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("tenant", tenant);
        values.put("id", id);
        return new MapRecord(new SimpleRecordSchema(List.of(new RecordField("tenant", RecordFieldType.STRING.getDataType()),
                new RecordField("id", RecordFieldType.LONG.getDataType()))), values);
    }
}
