package dev.nifireverseetl.processors.engine;

import java.util.Map;
import java.util.Set;

/**
 * What one {@link WriteJob} did.
 *
 * @param recordsByRoute     records per route (their sum equals the records added)
 * @param requests           write requests sent (bisection and retries included; dry run: requests built)
 * @param endpoints          the URLs written to (no credentials), for provenance
 * @param firstPermanentError the destination's first whole-batch refusal or per-record error, for the bulletin, or null
 * @param dailyLimitResetAt  when a daily limit was hit: the epoch millis it resets, else 0
 */
public record JobSummary(Map<OutcomeRoute, Long> recordsByRoute, long requests, Set<String> endpoints, String firstPermanentError, long dailyLimitResetAt) {

    public long count(final OutcomeRoute route) {
        return recordsByRoute.getOrDefault(route, 0L);
    }

    public long total() {
        long total = 0;
        for (final long count : recordsByRoute.values()) {
            total += count;
        }
        return total;
    }
}
