package dev.nifireverseetl.processors.engine;

import java.util.Map;

/**
 * How the engine writes, as the user configured it.
 *
 * @param syncMode              upsert, update only, create only
 * @param removalMode           archive removed rows, or ignore them
 * @param changedFieldsOnly     send only the fields DiffRecords lists in {@code _retl_changed_fields} for changed rows
 * @param fieldOwnership        destination field name to ownership (fields absent: {@link FieldOwnership#ALWAYS})
 * @param dryRun                build the requests but do not send them
 * @param maxConcurrentRequests batches in flight at once (per processor task)
 * @param retryPolicy           backoff for transient errors
 * @param maxRateLimitRetries   how often one request may be refused by the short-window limit before its records go to retry
 * @param maxBudgetWaitMillis   the longest wait for the rate budget before the records go to retry
 */
public record EngineSettings(SyncMode syncMode, RemovalMode removalMode, boolean changedFieldsOnly, Map<String, FieldOwnership> fieldOwnership,
                             boolean dryRun, int maxConcurrentRequests, RetryPolicy retryPolicy, int maxRateLimitRetries, long maxBudgetWaitMillis) {

    public EngineSettings {
        fieldOwnership = fieldOwnership == null ? Map.of() : Map.copyOf(fieldOwnership);
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("At least one concurrent request is needed");
        }
    }

    public FieldOwnership ownershipOf(final String destinationField) {
        return fieldOwnership.getOrDefault(destinationField, FieldOwnership.ALWAYS);
    }
}
