package dev.nifireverseetl.processors.engine.ratelimit;

import org.apache.nifi.controller.NodeTypeProvider;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterShareTest {

    private final AtomicLong clock = new AtomicLong(1_767_600_000_000L);

    @Test
    void aStandaloneNodeTakesTheWholeLimit() {
        final ClusterShare share = new ClusterShare(new Node(false, false, Set.of()), RateLimitScope.PER_NODE_SHARE, clock::get);
        assertEquals(1, share.nodesSharing());
        assertEquals("standalone", share.nodeIdentity());
    }

    @Test
    void eachConnectedNodeTakesItsShareAndFollowsMembershipChanges() {
        final Node node = new Node(true, true, Set.of("a:8443", "b:8443", "c:8443"));
        final ClusterShare share = new ClusterShare(node, RateLimitScope.PER_NODE_SHARE, clock::get);
        final RateBudget budget = new RateBudget(new RateLimitPolicy(190, 10_000, 0), ZoneOffset.UTC, clock::get);
        assertEquals(3, share.applyTo(budget));
        assertEquals(63, budget.effectiveLimit());
        assertEquals("a:8443", share.nodeIdentity());

        node.members = Set.of("a:8443", "b:8443");
        share.refreshIfDue(budget);
        assertEquals(63, budget.effectiveLimit(), "membership is read again only after the refresh interval");
        clock.addAndGet(ClusterShare.REFRESH_INTERVAL_MILLIS);
        share.refreshIfDue(budget);
        assertEquals(95, budget.effectiveLimit(), "a node left: the two others share the limit");
    }

    @Test
    void aDisconnectedNodeKeepsTheLastShareItSaw() {
        final Node node = new Node(true, true, Set.of("a:8443", "b:8443", "c:8443"));
        final ClusterShare share = new ClusterShare(node, RateLimitScope.PER_NODE_SHARE, clock::get);
        assertEquals(3, share.nodesSharing());
        node.clustered = false;
        assertEquals(3, share.nodesSharing(), "a disconnected node may still be sending: it must not take the whole limit");
    }

    @Test
    void theWholeLimitScopeIgnoresTheCluster() {
        final ClusterShare share = new ClusterShare(new Node(true, true, Set.of("a:8443", "b:8443", "c:8443")), RateLimitScope.WHOLE_LIMIT, clock::get);
        assertEquals(1, share.nodesSharing());
    }

    @Test
    void aNiFiThatCannotListTheMembersCountsOneNode() {
        // NodeTypeProvider's default getClusterMembers() throws when clustered
        final NodeTypeProvider minimal = new NodeTypeProvider() {
            @Override
            public boolean isClustered() {
                return true;
            }

            @Override
            public boolean isPrimary() {
                return false;
            }
        };
        final ClusterShare share = new ClusterShare(minimal, RateLimitScope.PER_NODE_SHARE, clock::get);
        assertEquals(1, share.nodesSharing());
        assertEquals("standalone", share.nodeIdentity());
    }

    private static final class Node implements NodeTypeProvider {

        private volatile boolean clustered;
        private final boolean configured;
        private volatile Set<String> members;

        Node(final boolean clustered, final boolean configured, final Set<String> members) {
            this.clustered = clustered;
            this.configured = configured;
            this.members = members;
        }

        @Override
        public boolean isClustered() {
            return clustered;
        }

        @Override
        public boolean isConfiguredForClustering() {
            return configured;
        }

        @Override
        public boolean isPrimary() {
            return false;
        }

        @Override
        public Optional<String> getCurrentNode() {
            return clustered ? Optional.of("a:8443") : Optional.empty();
        }

        @Override
        public Set<String> getClusterMembers() {
            return clustered ? members : Set.of();
        }
    }
}
