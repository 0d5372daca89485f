package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.state.SyncRecordFields;
import org.apache.nifi.serialization.record.Record;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a NiFi record into an {@link EngineRecord}: reads its {@code _retl_} fields, its match key, and maps its other
 * fields to destination fields (by name, or through the Field Mapping), leaving out nulls when they are skipped and
 * unchanged fields of changed rows when only changed fields are sent.
 */
public final class RecordPreparer {

    private final String matchKeyField;
    private final Map<String, String> fieldMapping;
    private final NullHandling nullHandling;
    private final boolean changedFieldsOnly;

    public RecordPreparer(final String matchKeyField, final Map<String, String> fieldMapping, final NullHandling nullHandling, final boolean changedFieldsOnly) {
        this.matchKeyField = matchKeyField;
        this.fieldMapping = Map.copyOf(fieldMapping);
        this.nullHandling = nullHandling;
        this.changedFieldsOnly = changedFieldsOnly;
    }

    /**
     * @return the prepared record; when it cannot be sent, a record whose match key is null and whose problem is
     * described by {@link Prepared#errorCode()} / {@link Prepared#errorMessage()}
     */
    public Prepared prepare(final long sequence, final Record record) {
        final SyncInfo sync;
        try {
            sync = readSyncInfo(record);
        } catch (final IllegalArgumentException e) {
            return Prepared.invalid(new EngineRecord(sequence, record, SyncInfo.NONE, "", Map.of()), "INVALID_SYNC_FIELDS", e.getMessage());
        }
        final String matchKey = record.getAsString(matchKeyField);
        if (matchKey == null || matchKey.isBlank()) {
            return Prepared.invalid(new EngineRecord(sequence, record, sync, "", Map.of()), "MISSING_MATCH_KEY",
                    "The record has no value in the match key field '" + matchKeyField + "'");
        }
        final Set<String> changed = changedFieldsOnly && sync.operation() == SyncRecordFields.Operation.CHANGED && sync.changedFields() != null
                ? new HashSet<>(sync.changedFields()) : null;
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (final String fieldName : record.getSchema().getFieldNames()) {
            if (SyncRecordFields.isSyncField(fieldName)) {
                continue;
            }
            if (changed != null && !changed.contains(fieldName)) {
                continue;
            }
            final Object value = record.getValue(fieldName);
            if (value == null && nullHandling == NullHandling.SKIP) {
                continue;
            }
            fields.put(fieldMapping.getOrDefault(fieldName, fieldName), value);
        }
        return Prepared.valid(new EngineRecord(sequence, record, sync, matchKey.trim(), fields));
    }

    private static SyncInfo readSyncInfo(final Record record) {
        final String operationText = record.getAsString(SyncRecordFields.OPERATION);
        final SyncRecordFields.Operation operation = operationText == null ? null : SyncRecordFields.Operation.fromValue(operationText);
        if (operationText != null && operation == null) {
            throw new IllegalArgumentException("Field " + SyncRecordFields.OPERATION + " must be added, changed, removed or unchanged");
        }
        final List<String> changedFields = SyncRecordFields.decodeFieldNames(record.getAsString(SyncRecordFields.CHANGED_FIELDS));
        final Map<String, String> fieldHashes = SyncRecordFields.decodeFieldHashes(record.getAsString(SyncRecordFields.FIELD_HASHES));
        final String destinationId = record.getAsString(SyncRecordFields.DESTINATION_ID);
        return new SyncInfo(operation, blankToNull(record.getAsString(SyncRecordFields.KEY)), blankToNull(record.getAsString(SyncRecordFields.VERSION)),
                fieldHashes, changedFields, blankToNull(destinationId));
    }

    private static String blankToNull(final String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A prepared record, or the reason it cannot be sent.
     */
    public record Prepared(EngineRecord record, String errorCode, String errorMessage) {

        static Prepared valid(final EngineRecord record) {
            return new Prepared(record, null, null);
        }

        static Prepared invalid(final EngineRecord record, final String code, final String message) {
            return new Prepared(record, code, message);
        }

        public boolean isValid() {
            return errorCode == null;
        }
    }
}
