package dev.nifireverseetl.processors.diff;

import java.util.List;

/**
 * How a diff run compares rows.
 *
 * @param keyFields              the key fields, in key order
 * @param versionFields          the fields that make up a row version; empty means every field but the key, the
 *                               excluded fields and the sync fields
 * @param excludedFields         fields never part of the version
 * @param emitRemovals           whether keys missing from the snapshot become removals
 * @param maxRemovalPercent      the delete-safety share: more removals than this percentage of the accepted keys stop
 *                               the run (100 disables the share check)
 * @param maxRemovalCount        more removals than this stop the run (negative: no count limit)
 * @param fullResync             treat every row as changed (removals are still computed and guarded)
 * @param batchSize              keys looked up in the state per call
 */
public record DiffSettings(List<String> keyFields, List<String> versionFields, List<String> excludedFields, boolean emitRemovals,
                           double maxRemovalPercent, long maxRemovalCount, boolean fullResync, int batchSize) {

    public DiffSettings {
        if (keyFields == null || keyFields.isEmpty()) {
            throw new IllegalArgumentException("At least one key field is required");
        }
        keyFields = List.copyOf(keyFields);
        versionFields = versionFields == null ? List.of() : List.copyOf(versionFields);
        excludedFields = excludedFields == null ? List.of() : List.copyOf(excludedFields);
        if (batchSize < 1) {
            throw new IllegalArgumentException("The batch size must be positive");
        }
    }
}
