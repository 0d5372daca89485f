package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.state.SyncRecordFields;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HashPII's configuration, validated and immutable, shared by every thread: the preset, the fields and their rules,
 * the invalid-value handling and the optional HMAC key. Each thread takes its own {@link RecordHasher} from it.
 */
public final class HashingPlan {

    private final HashPreset preset;
    private final List<PiiField> fields;
    private final InvalidValueHandling invalidValueHandling;
    private final byte[] hmacKey;

    private HashingPlan(final HashPreset preset, final List<PiiField> fields, final InvalidValueHandling invalidValueHandling, final byte[] hmacKey) {
        this.preset = preset;
        this.fields = List.copyOf(fields);
        this.invalidValueHandling = invalidValueHandling;
        this.hmacKey = hmacKey == null ? null : hmacKey.clone();
    }

    /**
     * @param preset               the destination profile
     * @param fieldTypes           field name or path → field type, in the order the fields are processed
     * @param defaultPhoneRegion   ISO 3166-1 alpha-2 region for national phone numbers
     * @param invalidValueHandling what to do with a record holding a value that cannot be normalised
     * @param hmacKey              the HMAC key for external ids, or null for plain SHA-256
     * @param clock                today's date for date-of-birth checks
     * @throws IllegalArgumentException when a path is malformed, names a sync field, or the preset does not take a type
     */
    public static HashingPlan create(final HashPreset preset, final Map<String, PiiFieldType> fieldTypes, final String defaultPhoneRegion,
                                     final InvalidValueHandling invalidValueHandling, final byte[] hmacKey, final Clock clock) {
        final List<PiiField> fields = new ArrayList<>(fieldTypes.size());
        for (final Map.Entry<String, PiiFieldType> entry : fieldTypes.entrySet()) {
            final FieldPath path = FieldPath.parse(entry.getKey());
            if (path.touchesSyncField(SyncRecordFields.PREFIX)) {
                throw new IllegalArgumentException("field '" + entry.getKey() + "' is a sync field (" + SyncRecordFields.PREFIX + "*), which HashPII never changes");
            }
            final PiiFieldType type = entry.getValue();
            final FieldRule rule = preset.rule(type, defaultPhoneRegion, clock);
            if (rule == null) {
                throw new IllegalArgumentException("preset " + preset.getDisplayName() + " does not take field type " + type.getValue());
            }
            final boolean hmac = hmacKey != null && type == PiiFieldType.EXTERNAL_ID;
            fields.add(new PiiField(path, type, rule, hmac));
        }
        return new HashingPlan(preset, fields, invalidValueHandling, hmacKey);
    }

    public HashPreset preset() {
        return preset;
    }

    public List<PiiField> fields() {
        return fields;
    }

    public InvalidValueHandling invalidValueHandling() {
        return invalidValueHandling;
    }

    /**
     * @return a new hasher with its own digest objects, for use by one thread
     */
    public RecordHasher newHasher() {
        return new RecordHasher(this, new ValueHasher(hmacKey));
    }

    /**
     * @return the schema of records written to success: every configured field that exists becomes a nullable STRING
     */
    public RecordSchema successSchema(final RecordSchema readSchema) {
        RecordSchema schema = readSchema;
        for (final PiiField field : fields) {
            schema = field.path().toStringField(schema);
        }
        return schema;
    }

    /**
     * @return the schema of records written to failure: the read schema plus the error code and message fields
     */
    public RecordSchema failureSchema(final RecordSchema readSchema) {
        final boolean hasCode = readSchema.getField(SyncRecordFields.ERROR_CODE).isPresent();
        final boolean hasMessage = readSchema.getField(SyncRecordFields.ERROR_MESSAGE).isPresent();
        if (hasCode && hasMessage) {
            return readSchema;
        }
        final List<RecordField> recordFields = new ArrayList<>(readSchema.getFields());
        if (!hasCode) {
            recordFields.add(new RecordField(SyncRecordFields.ERROR_CODE, RecordFieldType.STRING.getDataType(), true));
        }
        if (!hasMessage) {
            recordFields.add(new RecordField(SyncRecordFields.ERROR_MESSAGE, RecordFieldType.STRING.getDataType(), true));
        }
        final SimpleRecordSchema schema = new SimpleRecordSchema(recordFields);
        readSchema.getSchemaName().ifPresent(schema::setSchemaName);
        readSchema.getSchemaNamespace().ifPresent(schema::setSchemaNamespace);
        return schema;
    }

    @Override
    public String toString() {
        return "HashingPlan[preset=" + preset.getDisplayName() + ", fields=" + fields.size() + ", hmac=" + (hmacKey != null) + "]";
    }
}
