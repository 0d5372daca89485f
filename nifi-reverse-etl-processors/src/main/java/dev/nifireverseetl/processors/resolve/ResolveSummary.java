package dev.nifireverseetl.processors.resolve;

import java.util.Map;
import java.util.Set;

/**
 * What resolving one FlowFile did.
 *
 * @param counts            records per route
 * @param cacheHits         records resolved from the id cache (or their own {@code _retl_destination_id}) without a lookup
 * @param requests          lookup requests sent
 * @param endpoints         lookup URLs (no credentials)
 * @param firstRejection    the first permanent error, or null
 * @param dailyLimitResetAt when a spent daily limit resets (epoch millis), or 0
 */
record ResolveSummary(Map<ResolveRoute, Long> counts, long cacheHits, long requests, Set<String> endpoints, String firstRejection, long dailyLimitResetAt) {

    long count(final ResolveRoute route) {
        return counts.getOrDefault(route, 0L);
    }
}
