package dev.nifireverseetl.processors.resolve;

/**
 * Where a record goes after its destination id was resolved (or not).
 */
enum ResolveRoute {
    /** Exactly one destination record: {@code _retl_destination_id} is set. */
    MATCHED,
    /** No destination record has the match value. */
    UNMATCHED,
    /** Several destination records have the match value; none is chosen. */
    AMBIGUOUS,
    /** The record cannot be resolved as configured (no match value, the destination refused the lookup). */
    FAILURE,
    /** The lookup failed for a transient reason (retries spent, rate limit wait exceeded, daily limit spent). */
    RETRY
}
