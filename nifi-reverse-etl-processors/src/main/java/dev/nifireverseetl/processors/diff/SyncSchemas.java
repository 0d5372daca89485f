package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.SyncRecordFields;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The schemas of DiffRecords' output: the input schema followed by the sync fields (nullable strings), and the schema
 * of removal records (the key fields, then the sync fields).
 */
final class SyncSchemas {

    static final List<String> SYNC_FIELDS = List.of(SyncRecordFields.OPERATION, SyncRecordFields.KEY, SyncRecordFields.VERSION,
            SyncRecordFields.FIELD_HASHES, SyncRecordFields.CHANGED_FIELDS, SyncRecordFields.DESTINATION_ID, SyncRecordFields.RUN_ID,
            SyncRecordFields.ERROR_CODE, SyncRecordFields.ERROR_MESSAGE);

    private static final Set<RecordFieldType> TYPED_KEYS = Set.of(RecordFieldType.INT, RecordFieldType.LONG, RecordFieldType.SHORT,
            RecordFieldType.BYTE, RecordFieldType.BIGINT, RecordFieldType.STRING);

    private SyncSchemas() {
    }

    static RecordSchema withSyncFields(final RecordSchema input) {
        final List<RecordField> fields = new ArrayList<>();
        for (final RecordField field : input.getFields()) {
            if (!SyncRecordFields.isSyncField(field.getFieldName())) {
                fields.add(field);
            }
        }
        addSyncFields(fields);
        return new SimpleRecordSchema(fields);
    }

    static RecordSchema removalSchema(final List<String> keyFields, final RecordSchema input) {
        final List<RecordField> fields = new ArrayList<>();
        for (final String keyField : keyFields) {
            fields.add(new RecordField(keyField, keyType(keyField, input), true));
        }
        addSyncFields(fields);
        return new SimpleRecordSchema(fields);
    }

    /**
     * @return the key field's type in the input when it is an integer or string type (the canonical key text converts
     * back exactly), else STRING
     */
    static DataType keyType(final String keyField, final RecordSchema input) {
        if (input != null) {
            final Optional<RecordField> field = input.getField(keyField);
            if (field.isPresent() && TYPED_KEYS.contains(field.get().getDataType().getFieldType())) {
                return field.get().getDataType();
            }
        }
        return RecordFieldType.STRING.getDataType();
    }

    private static void addSyncFields(final List<RecordField> fields) {
        for (final String name : SYNC_FIELDS) {
            fields.add(new RecordField(name, RecordFieldType.STRING.getDataType(), true));
        }
    }
}
