package dev.nifireverseetl.processors.engine;

/**
 * How a request that failed as a whole is handled by the engine.
 */
public enum FailureKind {
    /** 5xx, timeouts, resets, unreadable bodies: retried with exponential backoff and jitter, bounded. */
    TRANSIENT,
    /** The short-window rate limit refused the request (HTTP 429): the rate budget waits, then the request is resent. */
    RATE_LIMITED,
    /**
     * A daily or allocation limit is spent (HubSpot 429 policyName DAILY, Salesforce 403 REQUEST_LIMIT_EXCEEDED): not
     * retried; the records go to retry and the processor yields until {@link BatchFailure#retryAtMillis()}.
     */
    QUOTA_EXHAUSTED,
    /** The credential was refused (401): the engine refreshes it once and resends; a second refusal is REJECTED. */
    UNAUTHORIZED,
    /**
     * The destination refused the whole batch because of (at least) one bad item (HubSpot 400 VALIDATION_ERROR): the
     * engine splits the batch in halves until the bad items are isolated, and writes the good ones.
     */
    INVALID_BATCH,
    /**
     * The request can never succeed as configured (403 missing scope, 404 unknown object type): every item fails with
     * the destination's error, and a bulletin is raised. No bisection.
     */
    REJECTED
}
