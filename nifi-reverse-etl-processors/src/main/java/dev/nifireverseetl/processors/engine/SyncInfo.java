package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.state.SyncRecordFields;

import java.util.List;
import java.util.Map;

/**
 * The {@code _retl_} fields a record carried (see {@link SyncRecordFields}); every value may be null for records that
 * did not come through DiffRecords.
 *
 * @param operation     {@code _retl_op}
 * @param key           {@code _retl_key}, the canonical row key the sync state is keyed by
 * @param version       {@code _retl_version}, the exact version to record as accepted
 * @param fieldHashes   {@code _retl_field_hashes}
 * @param changedFields {@code _retl_changed_fields} (record field names), null when unknown
 * @param destinationId {@code _retl_destination_id}
 */
public record SyncInfo(SyncRecordFields.Operation operation, String key, String version, Map<String, String> fieldHashes,
                       List<String> changedFields, String destinationId) {

    public static final SyncInfo NONE = new SyncInfo(null, null, null, Map.of(), null, null);

    public SyncInfo {
        fieldHashes = fieldHashes == null ? Map.of() : Map.copyOf(fieldHashes);
        changedFields = changedFields == null ? null : List.copyOf(changedFields);
    }

    /**
     * @return true when the record can be tracked in the sync state (it has a key and a version)
     */
    public boolean isTracked() {
        return key != null && version != null;
    }
}
