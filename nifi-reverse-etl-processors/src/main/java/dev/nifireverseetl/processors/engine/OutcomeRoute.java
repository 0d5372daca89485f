package dev.nifireverseetl.processors.engine;

/**
 * Where a record leaves the processor. Every input record gets exactly one.
 */
public enum OutcomeRoute {
    /** The destination accepted the record (or had accepted exactly this version before: a replay). */
    SUCCESS,
    /** The destination rejected the record permanently, or the record cannot be sent as it is. */
    FAILURE,
    /** Not written for a transient reason after the bounded retries (or a daily limit is spent): try again later. */
    RETRY,
    /** Not sent because a newer version of the row exists (a later diff run, or a later record of the same key). */
    SUPERSEDED,
    /** Dry run: the record is covered by the request payloads written to the dry-run relationship. */
    DRY_RUN
}
