package dev.nifireverseetl.processors.engine.ratelimit;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RateBudget} per destination account and NiFi node, keyed by the node's identity in the cluster
 * ({@link ClusterShare#nodeIdentity()}: one value for every component of a node), the destination's base URL and a
 * one-way fingerprint of the credential (never the credential), so every processor of the node writing to the same
 * account shares it.
 */
public final class RateBudgetRegistry {

    private static final Map<String, RateBudget> BUDGETS = new ConcurrentHashMap<>();

    private RateBudgetRegistry() {
    }

    /**
     * @return the account's budget on this node, created on first use; a later call with another policy re-configures it
     */
    public static RateBudget budgetFor(final String nodeIdentity, final String baseUrl, final String accountFingerprint, final RateLimitPolicy policy,
                                       final ZoneId dailyResetZone) {
        final String key = nodeIdentity + "#" + baseUrl + "#" + accountFingerprint;
        final RateBudget budget = BUDGETS.computeIfAbsent(key, ignored -> new RateBudget(policy, dailyResetZone, System::currentTimeMillis));
        budget.apply(policy);
        return budget;
    }
}
