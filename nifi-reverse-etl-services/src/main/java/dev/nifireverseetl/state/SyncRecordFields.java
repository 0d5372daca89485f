package dev.nifireverseetl.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields DiffRecords adds to every record it emits, which the Put processors and ResolveExternalIds read back.
 * All are strings, so they survive any Record Writer (JSON, CSV, Avro, ...). Destination writers never send a field
 * whose name starts with {@link #PREFIX}.
 */
public final class SyncRecordFields {

    /** Every sync field starts with this prefix. */
    public static final String PREFIX = "_retl_";

    /** The operation: one of {@link Operation#value()}. */
    public static final String OPERATION = PREFIX + "op";
    /** The canonical row key ({@link RowKey#canonical()}). */
    public static final String KEY = PREFIX + "key";
    /** The hash of the row version that this record carries. */
    public static final String VERSION = PREFIX + "version";
    /** Per-field hashes of that version: a JSON object of field name to hash. */
    public static final String FIELD_HASHES = PREFIX + "field_hashes";
    /** For a changed row: the names of the fields whose value changed, as a JSON array. Absent for other operations. */
    public static final String CHANGED_FIELDS = PREFIX + "changed_fields";
    /** The destination record id, when the state knows it (set by DiffRecords, ResolveExternalIds and the Put processors). */
    public static final String DESTINATION_ID = PREFIX + "destination_id";
    /** The diff run that emitted the record. */
    public static final String RUN_ID = PREFIX + "run_id";

    /** Added by the Put processors: whether the destination created the record ("true"/"false"). */
    public static final String CREATED = PREFIX + "created";
    /** Added by processors that route records to failure or retry: the destination's error code. */
    public static final String ERROR_CODE = PREFIX + "error_code";
    /** Added by processors that route records to failure or retry: the destination's error message (no raw PII). */
    public static final String ERROR_MESSAGE = PREFIX + "error_message";

    /**
     * A removal record's {@link #VERSION} starts with this prefix followed by the run id. DiffRecords records it as the
     * key's proposed version, so a removal superseded by a later run (the row came back, or a newer removal) is stale,
     * and it never equals an accepted version. A destination that applied a removal calls
     * {@code SyncStateService.recordRemoved} (not recordAccepted) for the key.
     */
    public static final String REMOVAL_VERSION_PREFIX = "removed:";

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private SyncRecordFields() {
    }

    /**
     * @return true when the field is one of the sync fields, which are never sent to a destination
     */
    public static boolean isSyncField(final String fieldName) {
        return fieldName != null && fieldName.startsWith(PREFIX);
    }

    public static String encodeFieldHashes(final Map<String, String> fieldHashes) {
        return writeJson(fieldHashes);
    }

    /**
     * @return the field hashes, or an empty map for null or blank text
     * @throws IllegalArgumentException when the text is not a JSON object of strings
     */
    public static Map<String, String> decodeFieldHashes(final String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            return OBJECT_MAPPER.readValue(text, STRING_MAP);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("Field " + FIELD_HASHES + " is not a JSON object of strings");
        }
    }

    public static String encodeFieldNames(final List<String> fieldNames) {
        return writeJson(fieldNames);
    }

    /**
     * @return the field names, or null for null or blank text (meaning: not known, treat every field as changed)
     * @throws IllegalArgumentException when the text is not a JSON array of strings
     */
    public static List<String> decodeFieldNames(final String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OBJECT_MAPPER.readValue(text, STRING_LIST);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("Field " + CHANGED_FIELDS + " is not a JSON array of strings");
        }
    }

    /**
     * @return the version a removal record of a run carries
     */
    public static String removalVersion(final String runId) {
        return REMOVAL_VERSION_PREFIX + runId;
    }

    /**
     * @return true when the version is that of a removal record
     */
    public static boolean isRemovalVersion(final String version) {
        return version != null && version.startsWith(REMOVAL_VERSION_PREFIX);
    }

    private static String writeJson(final Object value) {
        try {
            return OBJECT_MAPPER.writeValueAsString(value);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize sync field", e);
        }
    }

    /**
     * The operation a record asks of the destination.
     */
    public enum Operation {
        ADDED("added"),
        CHANGED("changed"),
        REMOVED("removed"),
        UNCHANGED("unchanged");

        private final String value;

        Operation(final String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        /**
         * @return the operation for a field value, or null when the value names none
         */
        public static Operation fromValue(final String value) {
            for (final Operation operation : values()) {
                if (operation.value.equals(value)) {
                    return operation;
                }
            }
            return null;
        }
    }
}
