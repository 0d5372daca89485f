package dev.nifireverseetl.processors.engine.ratelimit;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RateBudget} per destination account in the JVM, keyed by the destination's base URL and a one-way
 * fingerprint of the credential (never the credential), so every processor writing to the same account shares it.
 */
public final class RateBudgetRegistry {

    private static final Map<String, RateBudget> BUDGETS = new ConcurrentHashMap<>();

    private RateBudgetRegistry() {
    }

    /**
     * @return the account's budget, created on first use; a later call with another policy re-configures it
     */
    public static RateBudget budgetFor(final String baseUrl, final String accountFingerprint, final RateLimitPolicy policy, final ZoneId dailyResetZone) {
        final String key = baseUrl + "#" + accountFingerprint;
        final RateBudget budget = BUDGETS.computeIfAbsent(key, ignored -> new RateBudget(policy, dailyResetZone, System::currentTimeMillis));
        budget.apply(policy);
        return budget;
    }
}
