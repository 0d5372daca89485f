package dev.nifireverseetl.testsupport.emulator.zendesk;

/**
 * How an emulated background job ends.
 */
public enum JobFate {
    /** queued → working → completed, every item processed, results in request order. */
    COMPLETE,
    /**
     * queued → working → failed: the worker dies after processing the first half of the items (their changes stay),
     * the job ends {@code failed} with a top-level message and no results.
     */
    DIE,
    /** queued → working, forever (until the job expires): it keeps counting toward the queued-jobs limit. */
    NEVER_COMPLETE
}
