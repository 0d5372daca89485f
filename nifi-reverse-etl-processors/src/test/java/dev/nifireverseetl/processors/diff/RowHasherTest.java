package dev.nifireverseetl.processors.diff;

import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Canonical row hashing: the same warehouse row always hashes the same, whatever reader or type produced it.
 */
class RowHasherTest {

    private final RowHasher hasher = new RowHasher();

    @Test
    void numbersAreHashedByNumericValue() {
        final String integer = version(Map.of("amount", 1));
        assertEquals(integer, version(Map.of("amount", 1L)));
        assertEquals(integer, version(Map.of("amount", 1.0d)));
        assertEquals(integer, version(Map.of("amount", new BigDecimal("1.00"))));
        assertEquals(version(Map.of("amount", 0.1d)), version(Map.of("amount", new BigDecimal("0.10"))));
        assertEquals(version(Map.of("amount", 0.1f)), version(Map.of("amount", new BigDecimal("0.1"))), "floats by their decimal text");
        assertEquals(version(Map.of("amount", 123.45d)), version(Map.of("amount", new BigDecimal("123.4500"))));
        assertEquals(version(Map.of("amount", 1.0E-7d)), version(Map.of("amount", new BigDecimal("0.00000010"))));
        assertEquals(version(Map.of("amount", -0.5d)), version(Map.of("amount", new BigDecimal("-0.50"))));
        assertNotEquals(integer, version(Map.of("amount", 2)));
        assertNotEquals(integer, version(Map.of("amount", "1")), "a string is not a number");
    }

    @Test
    void nullAndAbsentAreTheSameVersion() {
        final Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("email", "a@x.io");
        withNull.put("phone", null);
        assertEquals(version(Map.of("email", "a@x.io")), version(withNull));
        assertEquals(hasher.hash(record(withNull), List.of("email", "phone")).fieldHashes().keySet(), Set.of("email"));
    }

    @Test
    void instantsIgnoreZoneAndType() {
        final Instant instant = Instant.parse("2026-01-05T10:00:00.123Z");
        final String expected = version(Map.of("updated", Timestamp.from(instant)));
        assertEquals(expected, version(Map.of("updated", instant)));
        assertEquals(expected, version(Map.of("updated", OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(2)))));
        assertNotEquals(expected, version(Map.of("updated", Timestamp.from(instant.plusMillis(1)))));
    }

    @Test
    void fieldOrderAndNestedMemberOrderDoNotMatter() {
        final Map<String, Object> first = new LinkedHashMap<>();
        first.put("a", "1");
        first.put("b", Map.of("x", 1, "y", 2));
        final Map<String, Object> second = new LinkedHashMap<>();
        second.put("b", new TreeMap<>(Map.of("y", 2, "x", 1)));
        second.put("a", "1");
        assertEquals(version(first), version(second));
        assertNotEquals(version(Map.of("tags", List.of("a", "b"))), version(Map.of("tags", List.of("b", "a"))), "arrays keep their order");
        assertNotEquals(version(Map.of("tags", List.of("ab"))), version(Map.of("tags", List.of("a", "b"))), "members are length-prefixed");
    }

    @Test
    void versionsAreStableAcrossHasherInstancesAndWellFormed() {
        final RowVersion one = new RowHasher().hash(record(Map.of("email", "a@x.io", "name", "A")), List.of("email", "name"));
        final RowVersion two = new RowHasher().hash(record(Map.of("name", "A", "email", "a@x.io")), List.of("email", "name"));
        assertEquals(one, two);
        assertEquals(32, one.version().length());
        assertEquals(16, one.fieldHashes().get("email").length());
        assertNotEquals(one.fieldHashes().get("email"), one.fieldHashes().get("name"));
    }

    private String version(final Map<String, Object> values) {
        final List<String> names = new ArrayList<>(values.keySet());
        names.sort(null);
        return hasher.hash(record(values), names).version();
    }

    private static Record record(final Map<String, Object> values) {
        final List<RecordField> fields = new ArrayList<>();
        for (final String name : values.keySet()) {
            fields.add(new RecordField(name, RecordFieldType.STRING.getDataType(), true));
        }
        return new MapRecord(new SimpleRecordSchema(fields), new LinkedHashMap<>(values));
    }
}
