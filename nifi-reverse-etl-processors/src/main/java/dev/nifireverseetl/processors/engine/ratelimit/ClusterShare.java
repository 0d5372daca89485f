package dev.nifireverseetl.processors.engine.ratelimit;

import org.apache.nifi.controller.NodeTypeProvider;

import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * This node's place in the NiFi cluster as far as an account's rate limit is concerned: which node this is (to key the
 * node's {@link RateBudget}) and how many connected nodes share the account's limit, read from NiFi's
 * {@link NodeTypeProvider} and re-read periodically, so the share follows nodes joining and leaving. Thread-safe.
 */
public final class ClusterShare {

    /** How often the cluster membership is read again while the processor runs. */
    public static final long REFRESH_INTERVAL_MILLIS = 10_000;

    private static final String STANDALONE = "standalone";

    private final NodeTypeProvider nodeTypeProvider;
    private final RateLimitScope scope;
    private final LongSupplier clock;
    private volatile long refreshedAt = Long.MIN_VALUE;
    private volatile int lastKnownMembers = 1;

    public ClusterShare(final NodeTypeProvider nodeTypeProvider, final RateLimitScope scope, final LongSupplier clock) {
        this.nodeTypeProvider = nodeTypeProvider;
        this.scope = scope == null ? RateLimitScope.PER_NODE_SHARE : scope;
        this.clock = clock;
    }

    public ClusterShare(final NodeTypeProvider nodeTypeProvider, final RateLimitScope scope) {
        this(nodeTypeProvider, scope, System::currentTimeMillis);
    }

    /**
     * @return this node's identity in the cluster, or "standalone"; the same for every component of the node
     */
    public String nodeIdentity() {
        if (nodeTypeProvider == null) {
            return STANDALONE;
        }
        try {
            final Optional<String> currentNode = nodeTypeProvider.getCurrentNode();
            return currentNode.orElse(STANDALONE);
        } catch (final IllegalStateException e) {
            return STANDALONE;
        }
    }

    /**
     * @return how many nodes share the account's limit under {@link RateLimitScope#PER_NODE_SHARE}: the connected cluster
     * members; while a node configured for clustering is disconnected (it may still be sending), the last count it saw;
     * 1 on a standalone NiFi or under {@link RateLimitScope#WHOLE_LIMIT}
     */
    public int nodesSharing() {
        if (scope == RateLimitScope.WHOLE_LIMIT || nodeTypeProvider == null) {
            return 1;
        }
        if (nodeTypeProvider.isClustered()) {
            try {
                final Set<String> members = nodeTypeProvider.getClusterMembers();
                if (members != null && !members.isEmpty()) {
                    lastKnownMembers = members.size();
                }
            } catch (final IllegalStateException e) {
                // this NiFi cannot list the members: keep the last count
                return lastKnownMembers;
            }
            return lastKnownMembers;
        }
        return nodeTypeProvider.isConfiguredForClustering() ? lastKnownMembers : 1;
    }

    /**
     * Gives the budget this node's share now.
     *
     * @return the number of nodes sharing the limit
     */
    public int applyTo(final RateBudget budget) {
        final int nodes = nodesSharing();
        budget.shareAmong(nodes);
        refreshedAt = clock.getAsLong();
        return nodes;
    }

    /**
     * Gives the budget this node's share when the last reading is older than {@link #REFRESH_INTERVAL_MILLIS}.
     */
    public void refreshIfDue(final RateBudget budget) {
        final long now = clock.getAsLong();
        if (now - refreshedAt >= REFRESH_INTERVAL_MILLIS) {
            applyTo(budget);
        }
    }
}
