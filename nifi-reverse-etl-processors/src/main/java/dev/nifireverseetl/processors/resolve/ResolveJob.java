package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.MessageRedactor;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Resolves the records of one FlowFile: {@link #add} each record as it is read, then {@link #finish}. Records are
 * collected into chunks of the batch size; for each chunk the id cache is read once (by {@code _retl_key}), and the
 * values it does not know are looked up in groups of the destination's maximum, several requests in flight at once.
 * Ids found are written to the cache. Outcomes go to the sink on the calling thread. Memory: one collecting chunk
 * plus the records of the requests in flight. Not thread-safe: one thread drives a job.
 */
final class ResolveJob {

    /** An ambiguous record's message lists at most this many of the destination ids that hold its value. */
    static final int MAX_LISTED_IDS = 20;

    private final LookupAdapter adapter;
    private final LookupSender sender;
    private final SyncStateService stateService;
    private final String syncId;
    private final int batchSize;
    private final int maxConcurrentRequests;
    private final Consumer<Resolution> sink;
    private final ExecutorCompletionService<Completed> completion;
    private final List<PendingRecord> collecting = new ArrayList<>();
    private final Map<ResolveRoute, Long> counts = new EnumMap<>(ResolveRoute.class);
    private final Set<String> endpoints = new TreeSet<>();
    private long cacheHits;
    private long requests;
    private long dailyLimitResetAt;
    private String firstRejection;
    private int inFlight;

    ResolveJob(final LookupAdapter adapter, final LookupSender sender, final SyncStateService stateService, final String syncId, final int batchSize,
               final int maxConcurrentRequests, final ExecutorService requestThreads, final Consumer<Resolution> sink) {
        if (syncId == null || syncId.isBlank()) {
            throw new IllegalArgumentException("A Sync ID is required");
        }
        this.adapter = adapter;
        this.sender = sender;
        this.stateService = stateService;
        this.syncId = syncId;
        this.batchSize = Math.max(1, batchSize);
        this.maxConcurrentRequests = Math.max(1, maxConcurrentRequests);
        this.sink = sink;
        this.completion = new ExecutorCompletionService<>(requestThreads);
    }

    /**
     * Adds one record; may block while the maximum number of lookups is in flight (delivering finished ones).
     *
     * @throws SyncStateException when the id cache cannot be read or written
     */
    void add(final PendingRecord record) throws InterruptedException {
        collecting.add(record);
        if (collecting.size() >= batchSize) {
            resolveChunk();
        }
    }

    /**
     * Resolves what is left and waits for every lookup.
     */
    ResolveSummary finish() throws InterruptedException {
        if (!collecting.isEmpty()) {
            resolveChunk();
        }
        while (inFlight > 0) {
            drainOne();
        }
        return new ResolveSummary(new EnumMap<>(counts), cacheHits, requests, Set.copyOf(endpoints), firstRejection, dailyLimitResetAt);
    }

    private void resolveChunk() throws InterruptedException {
        final List<PendingRecord> chunk = new ArrayList<>(collecting);
        collecting.clear();
        final List<String> keys = new ArrayList<>();
        for (final PendingRecord record : chunk) {
            if (record.knownId() == null && record.key() != null) {
                keys.add(record.key());
            }
        }
        final Map<String, String> cached = keys.isEmpty() ? Map.of() : stateService.getDestinationIds(syncId, keys);
        final Map<String, List<PendingRecord>> missesByValue = new LinkedHashMap<>();
        final Map<String, String> firstValueOf = new LinkedHashMap<>();
        for (final PendingRecord record : chunk) {
            final String known = record.knownId() != null ? record.knownId() : record.key() == null ? null : cached.get(record.key());
            if (known != null) {
                cacheHits++;
                deliver(Resolution.matched(record, known, true));
            } else if (record.matchValue() == null || record.matchValue().isBlank()) {
                deliver(Resolution.of(record, ResolveRoute.FAILURE, "NO_MATCH_VALUE", "The record has no value in the Match Field and no cached destination id"));
            } else {
                final String comparable = adapter.comparable(record.matchValue());
                missesByValue.computeIfAbsent(comparable, ignored -> new ArrayList<>()).add(record);
                firstValueOf.putIfAbsent(comparable, record.matchValue());
            }
        }
        for (final List<String> group : adapter.requestGroups(new ArrayList<>(firstValueOf.values()), batchSize)) {
            final Map<String, List<PendingRecord>> waiting = new HashMap<>();
            for (final String value : group) {
                final String comparable = adapter.comparable(value);
                waiting.put(comparable, missesByValue.get(comparable));
            }
            while (inFlight >= maxConcurrentRequests) {
                drainOne();
            }
            completion.submit(() -> new Completed(waiting, sender.lookup(group)));
            inFlight++;
        }
    }

    private void drainOne() throws InterruptedException {
        final Future<Completed> future = completion.take();
        inFlight--;
        final Completed completed;
        try {
            completed = future.get();
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw new IllegalStateException("A lookup failed unexpectedly", e.getCause());
        }
        final LookupOutcome outcome = completed.outcome();
        requests += outcome.requests();
        if (outcome.endpoint() != null) {
            endpoints.add(outcome.endpoint());
        }
        final Map<String, String> learned = new HashMap<>();
        for (final Map.Entry<String, List<PendingRecord>> entry : completed.waiting().entrySet()) {
            for (final PendingRecord record : entry.getValue()) {
                if (outcome.failure() != null) {
                    deliver(failed(record, outcome.failure()));
                    continue;
                }
                final Set<String> ids = outcome.idsByValue().getOrDefault(entry.getKey(), Set.of());
                if (ids.isEmpty()) {
                    deliver(Resolution.of(record, ResolveRoute.UNMATCHED, null, null));
                } else if (ids.size() == 1) {
                    final String id = ids.iterator().next();
                    deliver(Resolution.matched(record, id, false));
                    if (record.key() != null) {
                        learned.put(record.key(), id);
                    }
                } else {
                    deliver(Resolution.of(record, ResolveRoute.AMBIGUOUS, "AMBIGUOUS_MATCH", ids.size() + " "
                            + adapter.writeAdapter().destinationName() + " records have this match value: " + listed(ids)));
                }
            }
        }
        if (!learned.isEmpty()) {
            stateService.putDestinationIds(syncId, learned);
        }
    }

    /**
     * @return the ids in order, the first {@value #MAX_LISTED_IDS} of them when there are more
     */
    static String listed(final Set<String> ids) {
        final List<String> sorted = new ArrayList<>(new TreeSet<>(ids));
        if (sorted.size() <= MAX_LISTED_IDS) {
            return String.join(", ", sorted);
        }
        return String.join(", ", sorted.subList(0, MAX_LISTED_IDS)) + " and " + (sorted.size() - MAX_LISTED_IDS) + " more";
    }

    private Resolution failed(final PendingRecord record, final BatchFailure failure) {
        final String message = MessageRedactor.redact(failure.message());
        if (failure.kind() == FailureKind.REJECTED || failure.kind() == FailureKind.INVALID_BATCH) {
            if (firstRejection == null) {
                firstRejection = failure.code() + ": " + message;
            }
            return Resolution.of(record, ResolveRoute.FAILURE, failure.code(), message);
        }
        if (failure.kind() == FailureKind.QUOTA_EXHAUSTED) {
            dailyLimitResetAt = Math.max(dailyLimitResetAt, failure.retryAtMillis());
        }
        return Resolution.of(record, ResolveRoute.RETRY, failure.code(), message);
    }

    private void deliver(final Resolution resolution) {
        counts.merge(resolution.route(), 1L, Long::sum);
        sink.accept(resolution);
    }

    private record Completed(Map<String, List<PendingRecord>> waiting, LookupOutcome outcome) {
    }
}
