package dev.nifireverseetl.processors.hubspot;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import org.apache.nifi.controller.ControllerServiceLookup;
import org.apache.nifi.controller.NodeTypeProvider;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.ProcessorInitializationContext;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three NiFi nodes (three PutHubSpot instances, each with NiFi's cluster information saying it is one of three
 * connected nodes, so each has a budget of its own) write a load-balanced flow through ONE HubSpot account whose limit
 * is configured on each as the account's. Together they must never exceed the limit in any window at the destination,
 * never be refused, and still use at least 90 % of it.
 */
class PutHubSpotClusterTest {

    private static final int ACCOUNT_LIMIT = 30;
    private static final long WINDOW_MILLIS = 5_000;
    private static final int NODES = 3;
    private static final int RECORDS_PER_NODE = 3_500;
    private static final int RECORDS_PER_FLOWFILE = 500;

    private HubSpotEmulator hubspot;

    @BeforeEach
    void setUp() {
        hubspot = HubSpotTestSupport.emulator().rateLimit(ACCOUNT_LIMIT, WINDOW_MILLIS, 10_000_000);
        hubspot.server().latency(5, 20);
    }

    @AfterEach
    void tearDown() {
        hubspot.close();
    }

    @Test
    void threeNodesTogetherStayWithinTheAccountLimitAndUseIt() throws Exception {
        final Set<String> members = new LinkedHashSet<>();
        for (int node = 1; node <= NODES; node++) {
            members.add("node-" + node + ".nifi.internal:8443");
        }
        final List<TestRunner> runners = new ArrayList<>();
        int firstRecord = 0;
        for (final String member : members) {
            final TestRunner runner = nodeRunner(member, members);
            // the load-balanced connection spreads the input over the nodes
            for (int i = 0; i < RECORDS_PER_NODE / RECORDS_PER_FLOWFILE; i++) {
                runner.enqueue(HubSpotTestSupport.lines(contacts(firstRecord, RECORDS_PER_FLOWFILE)));
                firstRecord += RECORDS_PER_FLOWFILE;
            }
            runners.add(runner);
        }
        // warm the emulator up (its first request loads classes) with a request of another account
        hubspot.token("pat-na1-warm-up");
        final TestRunner warmUp = HubSpotTestSupport.runner(hubspot);
        warmUp.setProperty(PutHubSpot.ACCESS_TOKEN, "pat-na1-warm-up");
        warmUp.enqueue(HubSpotTestSupport.lines(contacts(1_000_000, 1)));
        warmUp.run();
        hubspot.server().metrics().reset();

        final ExecutorService nodes = Executors.newFixedThreadPool(NODES);
        try {
            final List<Future<?>> running = new ArrayList<>();
            for (final TestRunner runner : runners) {
                running.add(nodes.submit(() -> runner.run(RECORDS_PER_NODE / RECORDS_PER_FLOWFILE)));
            }
            for (final Future<?> node : running) {
                node.get();
            }
        } finally {
            nodes.shutdownNow();
        }

        long succeeded = 0;
        for (final TestRunner runner : runners) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS)) {
                succeeded += Long.parseLong(flowFile.getAttribute("record.count"));
            }
        }
        assertEquals((long) NODES * RECORDS_PER_NODE, succeeded, "every record written");
        assertEquals(0, hubspot.server().metrics().status(429), "no request refused");
        final int busiestWindow = hubspot.server().metrics().maxRequestsInAnyWindow(WINDOW_MILLIS);
        assertTrue(busiestWindow <= ACCOUNT_LIMIT, "at most the account limit in any window: " + busiestWindow);
        final double utilization = steadyStateUtilization(hubspot.server().metrics().arrivalTimes());
        assertTrue(utilization >= 0.9, "the three nodes used " + Math.round(utilization * 1000) / 10.0 + " % of the account limit in the steady state");
    }

    /**
     * @return requests per window over the limit, averaged over the full windows after the first (the first is the
     * burst of full buckets; the last is partial)
     */
    private static double steadyStateUtilization(final List<Long> arrivals) {
        final long start = arrivals.getFirst() + WINDOW_MILLIS;
        final long fullWindows = (arrivals.getLast() - start) / WINDOW_MILLIS;
        assertTrue(fullWindows >= 2, "enough steady-state windows to measure: " + fullWindows);
        final long end = start + fullWindows * WINDOW_MILLIS;
        final long inSteadyState = arrivals.stream().filter(arrival -> arrival >= start && arrival < end).count();
        return inSteadyState / (double) (fullWindows * ACCOUNT_LIMIT);
    }

    private TestRunner nodeRunner(final String member, final Set<String> members) {
        final TestRunner runner = HubSpotTestSupport.runner(hubspot);
        // every node is configured with the account's limit; NiFi tells each that it is one of three connected nodes
        runner.setProperty(PutHubSpot.RATE_LIMIT, String.valueOf(ACCOUNT_LIMIT));
        runner.setProperty(AbstractPutDestination.RATE_LIMIT_SCOPE, "Per Node Share of Account Limit");
        final Processor processor = runner.getProcessor();
        processor.initialize(new NodeInitializationContext(processor.getIdentifier(), runner.getLogger(), runner.getProcessContext().getControllerServiceLookup(),
                new ConnectedNode(member, members)));
        return runner;
    }

    private static List<String> contacts(final int from, final int count) {
        final List<String> lines = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            lines.add(HubSpotTestSupport.contactLine("node" + i + "@example.com", "N" + i));
        }
        return lines;
    }

    /**
     * What NiFi tells a processor on a node of a connected cluster.
     */
    private record ConnectedNode(String name, Set<String> members) implements NodeTypeProvider {

        @Override
        public boolean isClustered() {
            return true;
        }

        @Override
        public boolean isConfiguredForClustering() {
            return true;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public boolean isPrimary() {
            return members.iterator().next().equals(name);
        }

        @Override
        public Optional<String> getCurrentNode() {
            return Optional.of(name);
        }

        @Override
        public Set<String> getClusterMembers() {
            return members;
        }
    }

    private record NodeInitializationContext(String getIdentifier, ComponentLog getLogger, ControllerServiceLookup getControllerServiceLookup,
                                             NodeTypeProvider getNodeTypeProvider) implements ProcessorInitializationContext {

        @Override
        public String getKerberosServicePrincipal() {
            return null;
        }

        @Override
        public File getKerberosServiceKeytab() {
            return null;
        }

        @Override
        public File getKerberosConfigurationFile() {
            return null;
        }
    }
}
