package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.BatchFailure;

import java.util.Map;
import java.util.Set;

/**
 * The result of looking up one group of match values (all pages).
 *
 * @param idsByValue ids per comparable value (values without a destination record are absent)
 * @param failure    the failure that ended the lookup, or null
 * @param requests   requests sent (pages included, retries not)
 * @param endpoint   the URL of the first request (for provenance), or null
 */
record LookupOutcome(Map<String, Set<String>> idsByValue, BatchFailure failure, int requests, String endpoint) {
}
