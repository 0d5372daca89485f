package dev.nifireverseetl.state;

import java.util.Map;

/**
 * The destination accepted exactly this version of a row.
 *
 * @param key            canonical row key
 * @param version        the version hash that travelled with the record that was sent
 * @param fieldHashes    per-field hashes of that version (the full row, also when only changed fields were sent)
 * @param destinationId  the destination record id, or null when the destination did not say
 * @param created        true when the destination created the record (false: updated; null: unknown)
 */
public record Acceptance(String key, String version, Map<String, String> fieldHashes, String destinationId, Boolean created) {

    public Acceptance {
        if (key == null || version == null) {
            throw new IllegalArgumentException("An acceptance needs a key and a version");
        }
        fieldHashes = fieldHashes == null ? Map.of() : Map.copyOf(fieldHashes);
    }
}
