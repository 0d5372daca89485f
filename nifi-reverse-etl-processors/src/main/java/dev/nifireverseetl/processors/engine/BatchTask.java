package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.Failure;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes one batch on a request thread: checks the sync state once for the batch's keys (replays of accepted versions
 * go to success unsent, stale versions to superseded), applies field ownership, converts values, sends (or, in dry
 * run, only builds the request), and records the outcome in the sync state: exactly the version that was sent.
 */
final class BatchTask implements Callable<WriteJob.BatchReport> {

    private final WriteEngine engine;
    private final SyncStateService stateService;
    private final String syncId;
    private final WriteOperation operation;
    private final List<EngineRecord> records;
    private final Set<String> endpoints;

    BatchTask(final WriteEngine engine, final SyncStateService stateService, final String syncId, final WriteOperation operation,
              final List<EngineRecord> records, final Set<String> endpoints) {
        this.engine = engine;
        this.stateService = stateService;
        this.syncId = syncId;
        this.operation = operation;
        this.records = records;
        this.endpoints = endpoints;
    }

    @Override
    public WriteJob.BatchReport call() throws InterruptedException {
        final List<RecordOutcome> outcomes = new ArrayList<>();
        final Map<String, KeyState> states = readStates();
        final Map<String, EngineRecord> toSend = new LinkedHashMap<>();
        final List<WriteItem> items = new ArrayList<>();
        final Map<String, Set<String>> ifEmptyFieldsByItem = new HashMap<>();
        for (final EngineRecord record : records) {
            final KeyState state = record.sync().key() == null ? null : states.get(record.sync().key());
            final RecordOutcome skipped = skipWithoutSending(record, state);
            if (skipped != null) {
                outcomes.add(skipped);
                continue;
            }
            final String destinationId = record.sync().destinationId() != null ? record.sync().destinationId() : state == null ? null : state.destinationId();
            final boolean exists = destinationId != null || (state != null && state.isAccepted()) || record.sync().operation() == SyncRecordFields.Operation.CHANGED;
            if (operation == WriteOperation.CREATE && exists) {
                outcomes.add(RecordOutcome.success(record, destinationId, false));
                continue;
            }
            final boolean knownNew = !exists && (record.sync().operation() == SyncRecordFields.Operation.ADDED || operation == WriteOperation.CREATE);
            final Map<String, Object> fields = new LinkedHashMap<>();
            final Set<String> ifEmptyFields = new HashSet<>();
            String invalid = null;
            for (final Map.Entry<String, Object> field : record.fields().entrySet()) {
                final FieldOwnership ownership = engine.settings().ownershipOf(field.getKey());
                if (ownership == FieldOwnership.ON_CREATE_ONLY && !knownNew) {
                    continue;
                }
                if (ownership == FieldOwnership.IF_EMPTY && !knownNew) {
                    ifEmptyFields.add(field.getKey());
                }
                try {
                    fields.put(field.getKey(), engine.adapter().convertValue(field.getKey(), field.getValue()));
                } catch (final InvalidValueException e) {
                    invalid = e.getMessage();
                    break;
                }
            }
            if (invalid != null) {
                outcomes.add(RecordOutcome.of(record, OutcomeRoute.FAILURE, "INVALID_VALUE", invalid));
                continue;
            }
            final WriteItem item = new WriteItem(record.itemId(), record.matchKey(), destinationId, operation, fields);
            if (!ifEmptyFields.isEmpty()) {
                ifEmptyFieldsByItem.put(item.itemId(), ifEmptyFields);
            }
            toSend.put(item.itemId(), record);
            items.add(item);
        }
        final AtomicLong requests = new AtomicLong();
        final AtomicReference<String> firstPermanentError = new AtomicReference<>();
        final BatchSender.RequestLog requestLog = new BatchSender.RequestLog() {
            @Override
            public void sent(final String resolvedUrl) {
                requests.incrementAndGet();
                endpoints.add(resolvedUrl);
            }

            @Override
            public void rejected(final BatchFailure failure, final WriteBatch batch) {
                final List<Object> values = new ArrayList<>();
                for (final WriteItem item : batch.items()) {
                    values.addAll(MessageRedactor.valuesOf(toSend.get(item.itemId())));
                }
                firstPermanentError.compareAndSet(null, failure.code() + ": " + MessageRedactor.redact(failure.message(), values));
            }
        };
        List<WriteItem> writable = items;
        if (!ifEmptyFieldsByItem.isEmpty()) {
            writable = new CurrentValueFilter(engine, ifEmptyFieldsByItem).apply(items, toSend, outcomes);
        }
        writable = routeItemsWithNothingToWrite(writable, toSend, outcomes);
        if (writable.isEmpty()) {
            return new WriteJob.BatchReport(outcomes, List.of(), requests.get(), firstPermanentError.get(), 0);
        }
        final WriteBatch batch = new WriteBatch(operation, writable);
        if (engine.settings().dryRun()) {
            final HttpRequestSpec request = engine.adapter().buildRequest(batch);
            for (final WriteItem item : writable) {
                outcomes.add(RecordOutcome.of(toSend.get(item.itemId()), OutcomeRoute.DRY_RUN, null, null));
            }
            return new WriteJob.BatchReport(outcomes, List.of(new WriteJob.BatchReport.DryRunRequest(engine.client().resolve(request), request, writable.size())),
                    1, null, 0);
        }
        final Map<String, ItemOutcome> itemOutcomes = engine.sender().send(batch, requestLog);
        outcomes.addAll(recordInState(writable, toSend, itemOutcomes, firstPermanentError));
        final long dailyReset = engine.budget().dailyExhaustedUntil();
        return new WriteJob.BatchReport(outcomes, List.of(), requests.get(), firstPermanentError.get(), dailyReset);
    }

    private Map<String, KeyState> readStates() {
        if (stateService == null) {
            return Map.of();
        }
        final Set<String> keys = new LinkedHashSet<>();
        for (final EngineRecord record : records) {
            if (record.sync().key() != null) {
                keys.add(record.sync().key());
            }
        }
        return keys.isEmpty() ? Map.of() : stateService.getStates(syncId, keys);
    }

    /**
     * @return the outcome of a record the state says must not be sent (a replay of an accepted version, a stale
     * version, a removal already done), or null to send it
     */
    private RecordOutcome skipWithoutSending(final EngineRecord record, final KeyState state) {
        if (stateService == null || !record.sync().isTracked()) {
            return null;
        }
        final String version = record.sync().version();
        if (operation == WriteOperation.REMOVE) {
            if (state == null || !state.isAccepted()) {
                return RecordOutcome.success(record, null, null);
            }
            if (state.proposedVersion() != null && !version.equals(state.proposedVersion())) {
                return RecordOutcome.of(record, OutcomeRoute.SUPERSEDED, "SUPERSEDED",
                        "A newer diff run proposed another version of this row; this removal is stale and was not sent");
            }
            return null;
        }
        if (state == null) {
            return null;
        }
        if (version.equals(state.acceptedVersion())) {
            return RecordOutcome.success(record, state.destinationId(), false);
        }
        if (state.proposedVersion() != null && !version.equals(state.proposedVersion())) {
            return RecordOutcome.of(record, OutcomeRoute.SUPERSEDED, "SUPERSEDED",
                    "A newer diff run proposed another version of this row; this version is stale and was not sent");
        }
        return null;
    }

    /**
     * Creates, updates and upserts of records known to exist whose every field was filtered out (unchanged, owned by
     * another writer) need no request: the destination already holds what the sync owns.
     */
    private List<WriteItem> routeItemsWithNothingToWrite(final List<WriteItem> items, final Map<String, EngineRecord> toSend, final List<RecordOutcome> outcomes) {
        if (operation == WriteOperation.REMOVE) {
            return items;
        }
        final List<WriteItem> writable = new ArrayList<>();
        final List<Acceptance> acceptances = new ArrayList<>();
        for (final WriteItem item : items) {
            final EngineRecord record = toSend.get(item.itemId());
            final boolean exists = item.destinationId() != null || record.sync().operation() == SyncRecordFields.Operation.CHANGED;
            if (item.fields().isEmpty() && exists) {
                outcomes.add(RecordOutcome.success(record, item.destinationId(), false));
                if (stateService != null && record.sync().isTracked()) {
                    acceptances.add(new Acceptance(record.sync().key(), record.sync().version(), record.sync().fieldHashes(), item.destinationId(), false));
                }
            } else {
                writable.add(item);
            }
        }
        if (!acceptances.isEmpty()) {
            stateService.recordAccepted(syncId, acceptances);
        }
        return writable;
    }

    private List<RecordOutcome> recordInState(final List<WriteItem> items, final Map<String, EngineRecord> toSend, final Map<String, ItemOutcome> itemOutcomes,
                                              final AtomicReference<String> firstPermanentError) {
        final List<RecordOutcome> outcomes = new ArrayList<>();
        final List<Acceptance> acceptances = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        final List<String> removals = new ArrayList<>();
        final Map<String, String> learnedIds = new HashMap<>();
        final List<String> staleIds = new ArrayList<>();
        for (final WriteItem item : items) {
            final EngineRecord record = toSend.get(item.itemId());
            final ItemOutcome outcome = itemOutcomes.get(item.itemId());
            final SyncInfo sync = record.sync();
            switch (outcome.status()) {
                case SUCCEEDED -> {
                    final String destinationId = outcome.destinationId() != null ? outcome.destinationId() : item.destinationId();
                    outcomes.add(RecordOutcome.success(record, destinationId, outcome.created()));
                    if (sync.key() != null && operation == WriteOperation.REMOVE) {
                        removals.add(sync.key());
                    } else if (sync.isTracked()) {
                        acceptances.add(new Acceptance(sync.key(), sync.version(), sync.fieldHashes(), destinationId, outcome.created()));
                    } else if (sync.key() != null && destinationId != null) {
                        learnedIds.put(sync.key(), destinationId);
                    }
                }
                case FAILED -> {
                    outcomes.add(new RecordOutcome(record, OutcomeRoute.FAILURE, item.destinationId(), null, outcome.errorCode(), outcome.errorMessage()));
                    final String redacted = MessageRedactor.redact(outcome.errorMessage(), MessageRedactor.valuesOf(record));
                    firstPermanentError.compareAndSet(null, outcome.errorCode() + ": " + redacted);
                    if (sync.key() != null) {
                        failures.add(new Failure(sync.key(), sync.version(), outcome.errorCode() + ": " + redacted));
                        if (item.destinationId() != null && engine.adapter().isMissingRecord(outcome)) {
                            staleIds.add(sync.key());
                        }
                    }
                }
                case RETRYABLE -> {
                    outcomes.add(new RecordOutcome(record, OutcomeRoute.RETRY, item.destinationId(), null, outcome.errorCode(), outcome.errorMessage()));
                    if (sync.key() != null) {
                        failures.add(new Failure(sync.key(), sync.version(), "retries exhausted: " + outcome.errorCode() + ": "
                                + MessageRedactor.redact(outcome.errorMessage(), MessageRedactor.valuesOf(record))));
                    }
                }
            }
        }
        if (stateService != null) {
            if (!acceptances.isEmpty()) {
                stateService.recordAccepted(syncId, acceptances);
            }
            if (!failures.isEmpty()) {
                stateService.recordFailed(syncId, failures);
            }
            if (!removals.isEmpty()) {
                stateService.recordRemoved(syncId, removals);
            }
            if (!learnedIds.isEmpty()) {
                stateService.putDestinationIds(syncId, learnedIds);
            }
            if (!staleIds.isEmpty()) {
                stateService.forgetDestinationIds(syncId, staleIds);
            }
        }
        return outcomes;
    }
}
