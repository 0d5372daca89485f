package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateBudget;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends one batch and turns whatever happens into one {@link ItemOutcome} per item: takes rate-budget tokens, retries
 * transient errors with backoff and jitter, waits out 429s, refreshes the credential once on 401, drives asynchronous
 * continuations, and bisects batches the destination refused as a whole. Thread-safe (no mutable state of its own).
 */
public final class BatchSender {

    private final DestinationAdapter adapter;
    private final DestinationClient client;
    private final RateBudget budget;
    private final EngineSettings settings;

    public BatchSender(final DestinationAdapter adapter, final DestinationClient client, final RateBudget budget, final EngineSettings settings) {
        this.adapter = adapter;
        this.client = client;
        this.budget = budget;
        this.settings = settings;
    }

    /**
     * @return an outcome for every item of the batch, keyed by item id
     */
    public Map<String, ItemOutcome> send(final WriteBatch batch, final RequestLog requestLog) throws InterruptedException {
        return send(batch, requestLog, 0);
    }

    private Map<String, ItemOutcome> send(final WriteBatch batch, final RequestLog requestLog, final int itemRetry) throws InterruptedException {
        final HttpRequestSpec request = adapter.buildRequest(batch);
        requestLog.sent(client.resolve(request));
        BatchResult result = exchange(request, response -> adapter.parseResponse(batch, response));
        while (result instanceof BatchResult.Pending pending) {
            final AsyncContinuation continuation = pending.continuation();
            final long delay = continuation.delayMillis();
            if (delay > 0) {
                Thread.sleep(delay);
            }
            final BatchResult known = continuation.resultWithoutRequest();
            result = known != null ? known : exchange(continuation.nextRequest(), continuation::onResponse);
        }
        if (result instanceof BatchResult.Failed failed) {
            return handleFailure(batch, failed.failure(), requestLog, itemRetry);
        }
        final Map<String, ItemOutcome> outcomes = new HashMap<>(((BatchResult.Completed) result).outcomes());
        final List<WriteItem> retryable = new ArrayList<>();
        for (final WriteItem item : batch.items()) {
            final ItemOutcome outcome = outcomes.get(item.itemId());
            if (outcome == null) {
                outcomes.put(item.itemId(), ItemOutcome.retryable(item.itemId(), "NO_RESULT", adapter.destinationName() + " returned no result for this record"));
                retryable.add(item);
            } else if (outcome.status() == ItemOutcome.Status.RETRYABLE) {
                retryable.add(item);
            }
        }
        if (!retryable.isEmpty() && itemRetry < settings.retryPolicy().maxRetries()) {
            Thread.sleep(settings.retryPolicy().delayBeforeRetry(itemRetry + 1));
            outcomes.putAll(send(new WriteBatch(batch.operation(), retryable), requestLog, itemRetry + 1));
        }
        final Map<String, ItemOutcome> forItems = new HashMap<>();
        for (final WriteItem item : batch.items()) {
            forItems.put(item.itemId(), outcomes.get(item.itemId()));
        }
        return forItems;
    }

    private Map<String, ItemOutcome> handleFailure(final WriteBatch batch, final BatchFailure failure, final RequestLog requestLog, final int itemRetry)
            throws InterruptedException {
        if (failure.kind() == FailureKind.INVALID_BATCH && batch.size() > 1) {
            final Map<String, ItemOutcome> outcomes = new HashMap<>(send(batch.firstHalf(), requestLog, itemRetry));
            outcomes.putAll(send(batch.secondHalf(), requestLog, itemRetry));
            return outcomes;
        }
        final boolean permanent = failure.kind() == FailureKind.INVALID_BATCH || failure.kind() == FailureKind.REJECTED;
        if (permanent) {
            requestLog.rejected(failure, batch);
        }
        final Map<String, ItemOutcome> outcomes = new HashMap<>();
        for (final WriteItem item : batch.items()) {
            outcomes.put(item.itemId(), permanent
                    ? ItemOutcome.failed(item.itemId(), failure.code(), failure.message())
                    : ItemOutcome.retryable(item.itemId(), failure.code(), failure.message()));
        }
        return outcomes;
    }

    /**
     * Sends one request until it gets an answer the caller must act on: retries transient errors (bounded), waits out
     * short-window refusals (bounded), refreshes the credential once after a 401.
     *
     * @return the parsed result; a {@link BatchResult.Failed} when the retries are spent or the failure is final
     */
    public BatchResult exchange(final HttpRequestSpec request, final Function<HttpResponseData, BatchResult> parser) throws InterruptedException {
        int transientRetries = 0;
        int rateLimitRetries = 0;
        boolean refreshed = false;
        while (true) {
            if (!budget.acquire(settings.maxBudgetWaitMillis())) {
                final long dailyReset = budget.dailyExhaustedUntil();
                return dailyReset > 0
                        ? BatchResult.failed(new BatchFailure(FailureKind.QUOTA_EXHAUSTED, "DAILY_LIMIT", adapter.destinationName() + " daily request limit is spent", dailyReset))
                        : BatchResult.failed(BatchFailure.of(FailureKind.RATE_LIMITED, "RATE_LIMIT_WAIT", "The rate budget had no room within the maximum wait"));
            }
            BatchResult result;
            try {
                final HttpResponseData response = client.send(request);
                budget.observe(adapter.readRateLimits(response));
                result = parseSafely(parser, response);
            } catch (final IOException e) {
                result = BatchResult.failed(BatchFailure.of(FailureKind.TRANSIENT, "IO_ERROR", describe(e)));
            } finally {
                budget.release();
            }
            if (!(result instanceof BatchResult.Failed failed)) {
                return result;
            }
            final BatchFailure failure = failed.failure();
            switch (failure.kind()) {
                case RATE_LIMITED -> {
                    budget.pauseUntil(failure.retryAtMillis());
                    if (rateLimitRetries++ < settings.maxRateLimitRetries()) {
                        continue;
                    }
                    return result;
                }
                case QUOTA_EXHAUSTED -> {
                    budget.markDailyExhausted(failure.retryAtMillis());
                    return result;
                }
                case UNAUTHORIZED -> {
                    if (!refreshed) {
                        refreshed = true;
                        client.credential().refresh();
                        continue;
                    }
                    return BatchResult.failed(BatchFailure.of(FailureKind.REJECTED, failure.code(), failure.message()));
                }
                case TRANSIENT -> {
                    if (transientRetries < settings.retryPolicy().maxRetries()) {
                        transientRetries++;
                        Thread.sleep(settings.retryPolicy().delayBeforeRetry(transientRetries));
                        continue;
                    }
                    return result;
                }
                default -> {
                    return result;
                }
            }
        }
    }

    private BatchResult parseSafely(final Function<HttpResponseData, BatchResult> parser, final HttpResponseData response) {
        try {
            return parser.apply(response);
        } catch (final RuntimeException e) {
            return BatchResult.failed(BatchFailure.of(FailureKind.TRANSIENT, "UNREADABLE_RESPONSE",
                    adapter.destinationName() + " answered HTTP " + response.status() + " with a body that could not be read"));
        }
    }

    private static String describe(final IOException e) {
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /**
     * Notified of the requests a batch needed (for provenance) and of permanent whole-batch refusals (for bulletins).
     */
    public interface RequestLog {

        void sent(String resolvedUrl);

        void rejected(BatchFailure failure, WriteBatch batch);
    }
}
