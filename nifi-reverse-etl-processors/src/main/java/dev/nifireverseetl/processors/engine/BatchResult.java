package dev.nifireverseetl.processors.engine;

import java.util.Map;

/**
 * What an adapter made of a response: per-item outcomes, a failure of the whole request, or a destination job that
 * is still running (asynchronous APIs).
 */
public sealed interface BatchResult {

    /**
     * The destination answered for the items. Items of the batch without an outcome here are treated as
     * {@link ItemOutcome.Status#RETRYABLE} with code {@code NO_RESULT} (never silently as successes).
     *
     * @param outcomes outcome per {@link WriteItem#itemId()}
     */
    record Completed(Map<String, ItemOutcome> outcomes) implements BatchResult {
        public Completed {
            outcomes = Map.copyOf(outcomes);
        }
    }

    /**
     * The request failed as a whole.
     */
    record Failed(BatchFailure failure) implements BatchResult {
    }

    /**
     * The destination accepted the work but answers later (Zendesk job_status, Salesforce Bulk API 2.0 jobs, or any
     * multi-step exchange such as "read the ids, then archive"). The engine drives the continuation: it waits
     * {@link AsyncContinuation#delayMillis()}, sends {@link AsyncContinuation#nextRequest()} through the rate budget
     * (with the same retries for transient errors) and passes the response to
     * {@link AsyncContinuation#onResponse}, until a {@link Completed} or {@link Failed} comes back.
     */
    record Pending(AsyncContinuation continuation) implements BatchResult {
    }

    static BatchResult completed(final Map<String, ItemOutcome> outcomes) {
        return new Completed(outcomes);
    }

    static BatchResult failed(final BatchFailure failure) {
        return new Failed(failure);
    }

    static BatchResult pending(final AsyncContinuation continuation) {
        return new Pending(continuation);
    }
}
