package dev.nifireverseetl.state;

import dev.nifireverseetl.state.jdbc.JdbcSyncStateService;
import dev.nifireverseetl.testsupport.services.DataSourceDbcpService;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.util.MockComponentLog;
import org.apache.nifi.util.MockConfigurationContext;
import org.apache.nifi.util.NoOpProcessor;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDBC service on real PostgreSQL: schema creation and migration, verify(), and two "nodes" (two service instances
 * on one database) working at the same time.
 */
class JdbcSyncStateServiceTest {

    private DataSource database;

    @BeforeEach
    void database() {
        database = TestPostgres.freshDatabase();
    }

    private JdbcSyncStateService node(final String name) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(NoOpProcessor.class);
        final DataSourceDbcpService pool = new DataSourceDbcpService(database);
        runner.addControllerService("pool", pool);
        runner.enableControllerService(pool);
        final JdbcSyncStateService service = new JdbcSyncStateService();
        runner.addControllerService(name, service);
        runner.setProperty(service, JdbcSyncStateService.CONNECTION_POOL, "pool");
        runner.enableControllerService(service);
        return service;
    }

    @Test
    void schemaIsCreatedOnceAndMigrationsAreIdempotent() throws Exception {
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            final List<Future<JdbcSyncStateService>> nodes = List.of(executor.submit(() -> node("a")), executor.submit(() -> node("b")));
            for (final Future<JdbcSyncStateService> node : nodes) {
                node.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        node("c");
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*), max(version) FROM retl_schema_version")) {
            result.next();
            assertEquals(2, result.getInt(1), "each migration is applied once");
            assertEquals(2, result.getInt(2));
        }
    }

    @Test
    void verifyReportsConnectionSchemaAndCounts() throws Exception {
        final JdbcSyncStateService service = node("state");
        service.recordAccepted("orders", List.of(new Acceptance("[\"1\"]", "v", Map.of(), null, true)));
        final TestRunner runner = TestRunners.newTestRunner(NoOpProcessor.class);
        final DataSourceDbcpService pool = new DataSourceDbcpService(database);
        runner.addControllerService("pool", pool);
        runner.enableControllerService(pool);
        final List<ConfigVerificationResult> results = service.verify(new MockConfigurationContext(service,
                        Map.of(JdbcSyncStateService.CONNECTION_POOL, "pool"), runner.getProcessContext().getControllerServiceLookup(), Map.of()),
                new MockComponentLog("state", service), Map.of());
        assertEquals(List.of(ConfigVerificationResult.Outcome.SUCCESSFUL, ConfigVerificationResult.Outcome.SUCCESSFUL, ConfigVerificationResult.Outcome.SUCCESSFUL),
                results.stream().map(ConfigVerificationResult::getOutcome).toList());
        assertTrue(results.get(0).getExplanation().startsWith("Connected to PostgreSQL"));
        assertEquals("orders: 1 keys", results.get(2).getExplanation());
    }

    @Test
    void twoNodesCommittingConcurrentlyKeepExactlyTheAcceptedVersions() throws Exception {
        final SyncStateService nodeA = node("a");
        final SyncStateService nodeB = node("b");
        final int keys = 2_000;
        final ExecutorService executor = Executors.newFixedThreadPool(4);
        final CountDownLatch start = new CountDownLatch(1);
        final List<Callable<Void>> work = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            final SyncStateService node = worker % 2 == 0 ? nodeA : nodeB;
            final int offset = worker;
            work.add(() -> {
                start.await();
                for (int round = 0; round < 5; round++) {
                    final List<Acceptance> acceptances = new ArrayList<>();
                    final List<Failure> failures = new ArrayList<>();
                    for (int i = 0; i < keys; i++) {
                        final int key = (i * 7 + offset * 13 + round) % keys;
                        if ((key + offset) % 3 == 0) {
                            failures.add(new Failure("[\"" + key + "\"]", "failed-" + offset, "rejected"));
                        } else {
                            acceptances.add(new Acceptance("[\"" + key + "\"]", "v-" + offset + "-" + round, Map.of("f", "h" + offset), "id-" + key, true));
                        }
                    }
                    node.recordAccepted("s", acceptances);
                    node.recordFailed("s", failures);
                }
                return null;
            });
        }
        final List<Future<Void>> futures = new ArrayList<>();
        for (final Callable<Void> callable : work) {
            futures.add(executor.submit(callable));
        }
        start.countDown();
        for (final Future<Void> future : futures) {
            future.get(120, TimeUnit.SECONDS);
        }
        executor.shutdownNow();

        final List<String> all = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            all.add("[\"" + i + "\"]");
        }
        final Map<String, KeyState> states = nodeB.getStates("s", all);
        assertEquals(keys, states.size());
        for (final KeyState state : states.values()) {
            assertTrue(state.acceptedVersion() == null || state.acceptedVersion().startsWith("v-"), "only accepted versions are ever stored");
            assertTrue(!state.acceptedVersion().startsWith("failed"), "a failure never becomes the accepted version");
            final String worker = state.acceptedVersion().split("-")[1];
            assertEquals(Map.of("f", "h" + worker), state.acceptedFieldHashes(), "version and field hashes of one acceptance stay together");
        }

        final ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<Boolean>> begun = new ArrayList<>();
            for (final SyncStateService node : List.of(nodeA, nodeB)) {
                begun.add(racers.submit(() -> {
                    go.await();
                    try {
                        node.beginRun("race");
                        return true;
                    } catch (final SyncStateException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int started = 0;
            for (final Future<Boolean> future : begun) {
                final boolean ok = future.get(60, TimeUnit.SECONDS);
                started += ok ? 1 : 0;
            }
            assertEquals(1, started, "exactly one node may open a run of a sync");
        } finally {
            racers.shutdownNow();
        }
    }
}
