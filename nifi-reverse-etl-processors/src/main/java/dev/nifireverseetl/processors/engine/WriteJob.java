package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;

/**
 * Writes the records of one FlowFile: {@link #add} each record as it is read, then {@link #finish}. Records are
 * grouped per operation into batches of the destination's maximum (a later record of the same match key replaces an
 * earlier one, which is routed to superseded), several batches are in flight at once, and outcomes are handed to the
 * {@link OutcomeSink} on the calling thread as batches complete. Not thread-safe: one thread drives a job.
 */
public final class WriteJob {

    private final WriteEngine engine;
    private final SyncStateService stateService;
    private final String syncId;
    private final OutcomeSink sink;
    private final Map<WriteOperation, LinkedHashMap<String, EngineRecord>> collecting = new EnumMap<>(WriteOperation.class);
    private final Set<WriteOperation> largeOperations = EnumSet.noneOf(WriteOperation.class);
    private final ExecutorCompletionService<BatchReport> completion;
    private final Map<OutcomeRoute, Long> counts = new EnumMap<>(OutcomeRoute.class);
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
    private long requests;
    private String firstPermanentError;
    private long dailyLimitResetAt;
    private int inFlight;

    WriteJob(final WriteEngine engine, final SyncStateService stateService, final String syncId, final OutcomeSink sink) {
        this.engine = engine;
        this.stateService = stateService;
        this.syncId = syncId;
        this.sink = sink;
        this.completion = new ExecutorCompletionService<>(engine.requestThreads());
        if (stateService != null && (syncId == null || syncId.isBlank())) {
            throw new IllegalArgumentException("A Sync ID is required with a Sync State Service");
        }
    }

    /**
     * Adds one record; may block while the maximum number of batches is in flight (delivering finished ones).
     */
    public void add(final EngineRecord record) throws InterruptedException {
        final SyncRecordFields.Operation syncOperation = record.sync().operation();
        if (syncOperation == SyncRecordFields.Operation.UNCHANGED) {
            deliver(RecordOutcome.success(record, record.sync().destinationId(), false));
            return;
        }
        final WriteOperation operation = operationFor(syncOperation);
        if (operation == null) {
            deliver(RecordOutcome.success(record, record.sync().destinationId(), null));
            return;
        }
        if (!engine.adapter().supports(operation)) {
            reject(record, "UNSUPPORTED_OPERATION", engine.adapter().destinationName() + " does not support " + operation.name().toLowerCase() + " here");
            return;
        }
        final LinkedHashMap<String, EngineRecord> batch = collecting.computeIfAbsent(operation, ignored -> new LinkedHashMap<>());
        final EngineRecord previous = batch.remove(record.matchKey());
        batch.put(record.matchKey(), record);
        if (previous != null) {
            deliver(RecordOutcome.of(previous, OutcomeRoute.SUPERSEDED, "SUPERSEDED_IN_BATCH", "A later record in the same FlowFile has the same match key"));
        }
        if (batch.size() >= batchLimit(operation, batch.size())) {
            dispatch(operation);
        }
    }

    /**
     * The size at which the collecting batch of an operation is sent: the adapter's maximum; or, when the adapter has a
     * large-volume mode, nothing until the job has passed the threshold (the records are held to decide), then the
     * large maximum for the rest of the job.
     */
    private int batchLimit(final WriteOperation operation, final int collected) {
        final int threshold = engine.adapter().largeBatchThreshold(operation);
        if (threshold <= 0) {
            return engine.adapter().maxBatchSize(operation);
        }
        if (!largeOperations.contains(operation) && collected > threshold) {
            largeOperations.add(operation);
        }
        return largeOperations.contains(operation) ? engine.adapter().maxLargeBatchSize(operation) : Integer.MAX_VALUE;
    }

    /**
     * Routes a record that cannot be sent (no match key, unreadable sync fields) to failure.
     */
    public void reject(final EngineRecord record, final String code, final String message) {
        deliver(RecordOutcome.of(record, OutcomeRoute.FAILURE, code, message));
    }

    /**
     * Sends what is left, waits for every batch and returns the summary.
     *
     * @throws SyncStateException when the sync state could not be read or written (the caller rolls back: the
     *                            FlowFile is processed again, and already accepted versions are then not resent)
     */
    public JobSummary finish() throws InterruptedException {
        for (final WriteOperation operation : WriteOperation.values()) {
            final LinkedHashMap<String, EngineRecord> batch = collecting.get(operation);
            if (batch != null && !batch.isEmpty()) {
                if (engine.adapter().largeBatchThreshold(operation) > 0 && !largeOperations.contains(operation)) {
                    dispatchInOrdinaryBatches(operation);
                } else {
                    dispatch(operation);
                }
            }
        }
        while (inFlight > 0) {
            drainOne();
        }
        return new JobSummary(Collections.unmodifiableMap(new EnumMap<>(counts.isEmpty() ? Map.of(OutcomeRoute.SUCCESS, 0L) : counts)), requests,
                Set.copyOf(endpoints), firstPermanentError, dailyLimitResetAt);
    }

    private WriteOperation operationFor(final SyncRecordFields.Operation syncOperation) {
        if (syncOperation == SyncRecordFields.Operation.REMOVED) {
            return engine.settings().removalMode() == RemovalMode.IGNORE ? null : WriteOperation.REMOVE;
        }
        return switch (engine.settings().syncMode()) {
            case UPSERT -> WriteOperation.UPSERT;
            case UPDATE_ONLY -> WriteOperation.UPDATE;
            case CREATE_ONLY -> WriteOperation.CREATE;
        };
    }

    private void dispatch(final WriteOperation operation) throws InterruptedException {
        final LinkedHashMap<String, EngineRecord> batch = collecting.remove(operation);
        submit(operation, new ArrayList<>(batch.values()));
    }

    /**
     * Sends the records held while deciding on large-volume mode (the job stayed under the threshold) in batches of
     * the adapter's ordinary maximum.
     */
    private void dispatchInOrdinaryBatches(final WriteOperation operation) throws InterruptedException {
        final List<EngineRecord> held = new ArrayList<>(collecting.remove(operation).values());
        final int size = engine.adapter().maxBatchSize(operation);
        for (int start = 0; start < held.size(); start += size) {
            submit(operation, new ArrayList<>(held.subList(start, Math.min(held.size(), start + size))));
        }
    }

    private void submit(final WriteOperation operation, final List<EngineRecord> records) throws InterruptedException {
        while (inFlight >= engine.settings().maxConcurrentRequests()) {
            drainOne();
        }
        final BatchTask task = new BatchTask(engine, stateService, syncId, operation, records, endpoints);
        completion.submit(task);
        inFlight++;
    }

    private void drainOne() throws InterruptedException {
        final Future<BatchReport> future = completion.take();
        inFlight--;
        final BatchReport report;
        try {
            report = future.get();
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof SyncStateException stateException) {
                throw stateException;
            }
            if (cause instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw new IllegalStateException("A batch failed unexpectedly", cause);
        }
        requests += report.requests();
        if (firstPermanentError == null && report.firstPermanentError() != null) {
            firstPermanentError = report.firstPermanentError();
        }
        if (report.dailyLimitResetAt() > 0) {
            dailyLimitResetAt = Math.max(dailyLimitResetAt, report.dailyLimitResetAt());
        }
        for (final BatchReport.DryRunRequest request : report.dryRunRequests()) {
            sink.dryRunRequest(request.resolvedUrl(), request.request(), request.itemCount());
        }
        for (final RecordOutcome outcome : report.outcomes()) {
            deliver(outcome);
        }
    }

    private void deliver(final RecordOutcome outcome) {
        counts.merge(outcome.route(), 1L, Long::sum);
        sink.accept(outcome);
    }

    /**
     * What a batch task hands back to the job thread.
     */
    record BatchReport(List<RecordOutcome> outcomes, List<DryRunRequest> dryRunRequests, long requests, String firstPermanentError, long dailyLimitResetAt) {

        record DryRunRequest(String resolvedUrl, HttpRequestSpec request, int itemCount) {
        }
    }
}
