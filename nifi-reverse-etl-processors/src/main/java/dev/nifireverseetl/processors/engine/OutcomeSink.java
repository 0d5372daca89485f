package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;

/**
 * Receives the engine's results, always on the thread that drives the {@link WriteJob} (so it may write to a NiFi
 * session).
 */
public interface OutcomeSink {

    /**
     * One record's outcome.
     */
    void accept(RecordOutcome outcome);

    /**
     * Dry run: a request that would have been sent, with its resolved URL.
     */
    void dryRunRequest(String resolvedUrl, HttpRequestSpec request, int itemCount);
}
