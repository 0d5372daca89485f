package dev.nifireverseetl.processors.engine.ratelimit;

import org.apache.nifi.components.DescribedValue;

/**
 * What the configured rate limit means on a NiFi cluster.
 */
public enum RateLimitScope implements DescribedValue {
    PER_NODE_SHARE("Per Node Share of Account Limit", "The configured limit is the account's: on a cluster, each node sends at most the limit divided "
            + "by the number of connected nodes (recomputed when nodes join or leave), so the nodes together never exceed it. The destination's "
            + "limit headers count every node's requests and correct each node's budget. On a standalone NiFi this is the whole limit."),
    WHOLE_LIMIT("Whole Limit on This Node", "Each node may send up to the whole configured limit. Only for a flow that runs on one node of the cluster "
            + "(for example, primary node only), or when the configured limit was already divided by hand.");

    private final String displayName;
    private final String description;

    RateLimitScope(final String displayName, final String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return displayName;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
