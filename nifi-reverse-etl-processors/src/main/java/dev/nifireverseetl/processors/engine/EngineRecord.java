package dev.nifireverseetl.processors.engine;

import org.apache.nifi.serialization.record.Record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input record on its way through the engine.
 *
 * @param sequence  position in the FlowFile (also the basis of the item id sent to the destination)
 * @param record    the record as read (written back to an outcome relationship with the outcome fields added)
 * @param sync      its {@code _retl_} fields
 * @param matchKey  the destination match key value
 * @param fields    destination field name to record value, after mapping; never a {@code _retl_} field; a null value
 *                  means "clear the field" (nulls are left out when they are to be skipped)
 */
public record EngineRecord(long sequence, Record record, SyncInfo sync, String matchKey, Map<String, Object> fields) {

    public EngineRecord {
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * @return the id of this record in requests ({@code r} + sequence)
     */
    public String itemId() {
        return "r" + sequence;
    }

    @Override
    public String toString() {
        return "EngineRecord[" + sequence + "]";
    }
}
