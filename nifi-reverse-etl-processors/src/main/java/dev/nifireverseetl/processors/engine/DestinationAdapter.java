package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitFeedback;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one destination contributes to the shared write engine: endpoints, payloads, value conversion and response
 * parsing. Everything else (reading records, batching and de-duplication, concurrent requests, the shared rate budget,
 * retries with backoff and jitter, bisection of batches that fail as a whole, 401 credential refresh, routing,
 * sync-state bookkeeping, dry run, provenance and counters) is done once by {@link WriteEngine}.
 * <p>
 * An adapter is immutable and thread-safe: the engine calls it from several request threads at once. It never
 * performs I/O itself; it describes requests ({@link HttpRequestSpec}) and interprets responses
 * ({@link HttpResponseData}), which keeps adapters testable without a server and lets dry run show the exact payloads.
 * <p>
 * How the three destinations fit:
 * <ul>
 *     <li>HubSpot: {@code POST /crm/v3/objects/{type}/batch/{upsert|create|update|archive}}, 100 items, results matched
 *     by {@code objectWriteTraceId} / id, never by position; 400 for the whole batch is {@link FailureKind#INVALID_BATCH};
 *     429 with policyName DAILY is {@link FailureKind#QUOTA_EXHAUSTED}.</li>
 *     <li>Salesforce sObject Collections: {@code PATCH /composite/sobjects/{SObject}/{ExtId}} with {@code allOrNone=false},
 *     200 items, results in request order (position is the documented key there); 403 REQUEST_LIMIT_EXCEEDED is
 *     {@link FailureKind#QUOTA_EXHAUSTED}; 401 INVALID_SESSION_ID is {@link FailureKind#UNAUTHORIZED}.</li>
 *     <li>Salesforce Bulk API 2.0 and Zendesk {@code create_or_update_many}: {@link #parseResponse} returns
 *     {@link BatchResult.Pending} with an {@link AsyncContinuation} that polls the job and maps its results.</li>
 * </ul>
 */
public interface DestinationAdapter {

    /**
     * @return the destination's name for messages and counters, for example {@code HubSpot}
     */
    String destinationName();

    /**
     * @return the largest number of items one request of this operation may carry (HubSpot 100, Salesforce Collections
     * 200, Zendesk 100, Bulk API 2.0 e.g. 10,000)
     */
    int maxBatchSize(WriteOperation operation);

    /**
     * Large-volume mode, for destinations with a separate bulk API (Salesforce Bulk API 2.0): when one job (one FlowFile)
     * holds more than this many records of an operation, the engine stops cutting them into batches of
     * {@link #maxBatchSize} and sends them in batches of up to {@link #maxLargeBatchSize}; the adapter recognises such a
     * batch by its size (more items than {@link #maxBatchSize}) and writes it through its bulk API. Until the threshold
     * is passed the engine holds the records (at most this many) to decide. Retries of single items of a large batch
     * come back as ordinary batches.
     *
     * @return the record count above which large batches are used, or 0 (the default) for never; when positive it must
     * be at least {@link #maxBatchSize}
     */
    default int largeBatchThreshold(final WriteOperation operation) {
        return 0;
    }

    /**
     * @return the most items of one large batch (they are held in memory until the destination answers for them)
     */
    default int maxLargeBatchSize(final WriteOperation operation) {
        return maxBatchSize(operation);
    }

    /**
     * @return true when the destination can perform the operation (for example a destination without a create-only
     * endpoint returns false for {@link WriteOperation#CREATE}); records asking for an unsupported operation fail with
     * code {@code UNSUPPORTED_OPERATION}
     */
    default boolean supports(final WriteOperation operation) {
        return true;
    }

    /**
     * Converts one record value to what the destination's API takes (HubSpot: strings, "true"/"false", dates as
     * epoch-ms at midnight UTC, multi-select joined with ";"; Salesforce and Zendesk: JSON types).
     *
     * @param destinationField the destination field (after mapping)
     * @param value            the record value (String, Number, Boolean, java.sql.Date/Time/Timestamp, java.time types,
     *                         Object[] for arrays, Map or Record for nested records); null only when the user chose to
     *                         clear fields for nulls: return the destination's way of clearing a field
     *                         (HubSpot {@code ""}, Salesforce and Zendesk JSON null)
     * @return the value to send (JSON-serializable: String, Number, Boolean, null, List, Map)
     * @throws InvalidValueException when the value cannot be sent (the record fails with code {@code INVALID_VALUE})
     */
    Object convertValue(String destinationField, Object value) throws InvalidValueException;

    /**
     * @return the request that writes the batch
     */
    HttpRequestSpec buildRequest(WriteBatch batch);

    /**
     * Interprets the response to {@link #buildRequest} (any status: 2xx, 207, 4xx, 5xx). Outcomes must be matched to
     * items as the destination documents it (by correlation id or record id, or by position only where the
     * destination guarantees request order).
     *
     * @return per-item outcomes, a failure of the whole request, or a pending asynchronous job
     */
    BatchResult parseResponse(WriteBatch batch, HttpResponseData response);

    /**
     * Reads the limit headers of any response (success or refusal), so the shared budget follows the destination.
     *
     * @return the feedback, or {@link RateLimitFeedback#NONE}
     */
    default RateLimitFeedback readRateLimits(final HttpResponseData response) {
        return RateLimitFeedback.NONE;
    }

    /**
     * Tells whether a failed item says that the destination record it addressed does not exist (any more). When the
     * item was written by a destination id from the sync state's id cache, the engine then drops that id
     * ({@code SyncStateService.forgetDestinationIds}), so ResolveExternalIds looks the record up again on the next run.
     * The default knows the documented not-found codes: HubSpot {@code OBJECT_NOT_FOUND}, Salesforce
     * {@code ENTITY_IS_DELETED} and {@code NOT_FOUND}, Zendesk {@code RecordNotFound}; adapters may refine it.
     */
    default boolean isMissingRecord(final ItemOutcome outcome) {
        return outcome.status() == ItemOutcome.Status.FAILED && outcome.errorCode() != null
                && MISSING_RECORD_CODES.contains(outcome.errorCode());
    }

    /** The destinations' documented error codes for a record that does not exist (see {@link #isMissingRecord}). */
    Set<String> MISSING_RECORD_CODES = Set.of("OBJECT_NOT_FOUND", "ENTITY_IS_DELETED", "NOT_FOUND", "RecordNotFound");

    /**
     * @return true when {@link #buildCurrentValuesRequest} is implemented (needed for the "if empty" field ownership)
     */
    default boolean supportsCurrentValueReads() {
        return false;
    }

    /**
     * Builds a read of the current values of some fields of the items' records (HubSpot {@code batch/read} by
     * idProperty, Salesforce SOQL, Zendesk {@code show_many}). At most {@link #maxBatchSize} items.
     */
    default HttpRequestSpec buildCurrentValuesRequest(final List<WriteItem> items, final Set<String> destinationFields) {
        throw new UnsupportedOperationException(destinationName() + " cannot read current values");
    }

    /**
     * @return per {@link WriteItem#itemId()} the current field values (records missing at the destination are absent),
     * or a failure of the whole read ({@link BatchResult.Failed})
     * @throws CurrentValuesFailure when the read failed as a whole; its failure is handled like a write failure
     */
    default Map<String, Map<String, String>> parseCurrentValues(final List<WriteItem> items, final HttpResponseData response) {
        throw new UnsupportedOperationException(destinationName() + " cannot read current values");
    }

    /**
     * A read of current values that failed as a whole.
     */
    final class CurrentValuesFailure extends RuntimeException {
        private final BatchFailure failure;

        public CurrentValuesFailure(final BatchFailure failure) {
            super(failure.kind() + " " + failure.code());
            this.failure = failure;
        }

        public BatchFailure failure() {
            return failure;
        }
    }
}
