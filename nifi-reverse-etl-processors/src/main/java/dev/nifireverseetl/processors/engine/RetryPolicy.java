package dev.nifireverseetl.processors.engine;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter for transient errors (5xx, timeouts, resets, unreadable responses).
 *
 * @param maxRetries     retries after the first attempt (0: no retry)
 * @param baseDelayMillis the delay before the first retry (before jitter)
 * @param maxDelayMillis the largest delay between two attempts
 */
public record RetryPolicy(int maxRetries, long baseDelayMillis, long maxDelayMillis) {

    public RetryPolicy {
        if (maxRetries < 0 || baseDelayMillis < 0 || maxDelayMillis < baseDelayMillis) {
            throw new IllegalArgumentException("Retries and delays must not be negative, and the maximum delay must not be below the base delay");
        }
    }

    /**
     * @param retry the retry about to happen, starting at 1
     * @return a random delay between half and all of {@code base * 2^(retry-1)}, capped at the maximum
     */
    public long delayBeforeRetry(final int retry) {
        final long exponential = baseDelayMillis * (1L << Math.min(20, Math.max(0, retry - 1)));
        final long capped = Math.min(maxDelayMillis, exponential);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
