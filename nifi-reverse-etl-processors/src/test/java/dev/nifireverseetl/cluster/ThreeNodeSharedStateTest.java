package dev.nifireverseetl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.diff.DiffRecords;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.RowKey;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.jdbc.JdbcSyncStateService;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import dev.nifireverseetl.testsupport.services.DataSourceDbcpService;
import dev.nifireverseetl.testsupport.services.TestPostgres;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A three-node NiFi cluster, simulated: every node has its own JdbcSyncStateService on one shared PostgreSQL database.
 * Node 1 runs DiffRecords on the snapshot (as on the primary node); its changes are load-balanced round-robin over the
 * three nodes, whose PutHubSpot runners write to one HubSpot emulator at the same time. Every change is sent exactly
 * once, every node's acceptances land in the one state, and the next runs diff against that state: a run with a few
 * changes emits exactly those, a run without changes emits nothing.
 */
class ThreeNodeSharedStateTest {

    private static final String SYNC = "cluster-contacts";
    private static final String TOKEN = "pat-na1-cluster";
    private static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    private static final int NODES = 3;
    private static final int ROWS = 150;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HubSpotEmulator hubSpot;
    private TestRunner diff;
    private final List<TestRunner> puts = new ArrayList<>();
    private final List<SyncStateService> nodeStates = new ArrayList<>();

    @BeforeEach
    void setUp() throws InitializationException {
        final DataSource database = TestPostgres.freshDatabase();
        hubSpot = new HubSpotEmulator().token(TOKEN).start();
        hubSpot.server().recording(true);
        diff = TestRunners.newTestRunner(DiffRecords.class);
        JsonLines.register(diff, DiffRecords.RECORD_READER.getName(), DiffRecords.RECORD_WRITER.getName());
        nodeState(diff, database);
        diff.setProperty(DiffRecords.SYNC_ID, SYNC);
        diff.setProperty(DiffRecords.KEY_FIELDS, "email");
        for (int node = 0; node < NODES; node++) {
            final TestRunner put = TestRunners.newTestRunner(PutHubSpot.class);
            JsonLines.register(put, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
            put.setProperty(PutHubSpot.BASE_URL, hubSpot.baseUrl());
            put.setProperty(PutHubSpot.ACCESS_TOKEN, TOKEN);
            put.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
            put.setProperty(PutHubSpot.ID_PROPERTY, "email");
            put.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
            put.setProperty(AbstractPutDestination.SYNC_ID, SYNC);
            nodeStates.add(nodeState(put, database));
            puts.add(put);
        }
    }

    private static SyncStateService nodeState(final TestRunner runner, final DataSource database) throws InitializationException {
        final DataSourceDbcpService pool = new DataSourceDbcpService(database);
        runner.addControllerService("pool", pool);
        runner.enableControllerService(pool);
        final JdbcSyncStateService state = new JdbcSyncStateService();
        runner.addControllerService("state", state);
        runner.setProperty(state, JdbcSyncStateService.CONNECTION_POOL, "pool");
        runner.enableControllerService(state);
        runner.setProperty("Sync State Service", "state");
        return state;
    }

    @AfterEach
    void tearDown() {
        hubSpot.close();
    }

    @Test
    void changesFanOutOverThreeNodesSentOnceAndTheNextRunSeesOneState() throws Exception {
        final Map<String, String> model = new TreeMap<>();
        for (int i = 0; i < ROWS; i++) {
            model.put("c" + i + "@example.com", "First" + i);
        }
        final Map<String, Integer> run1 = syncRun(model, ROWS, 0);
        assertEquals(ROWS, run1.size(), "every change reached HubSpot");
        assertTrue(run1.values().stream().allMatch(count -> count == 1), "every change was sent exactly once: " + run1);
        assertEquals(ROWS, hubSpot.records("contacts").size());
        for (final SyncStateService state : nodeStates) {
            final Map<String, KeyState> states = state.getStates(SYNC, model.keySet().stream().map(ThreeNodeSharedStateTest::key).toList());
            assertEquals(ROWS, states.size(), "every node sees every key");
            assertTrue(states.values().stream().allMatch(KeyState::isAccepted), "acceptances from all nodes landed");
        }

        final Map<String, String> changed = new TreeMap<>(model);
        for (final int i : new int[]{3, 77, 100, 101, 149}) {
            changed.put("c" + i + "@example.com", "Changed" + i);
        }
        final Map<String, Integer> run2 = syncRun(changed, 0, 5);
        assertEquals(Map.of("c3@example.com", 1, "c77@example.com", 1, "c100@example.com", 1, "c101@example.com", 1, "c149@example.com", 1), run2);
        for (final Map<String, String> record : hubSpot.records("contacts")) {
            assertEquals(changed.get(record.get("email")), record.get("firstname"));
        }

        assertEquals(Map.of(), syncRun(changed, 0, 0), "a run without changes emits nothing");
    }

    /**
     * DiffRecords on node 1, then its added and changed records round-robin over the three nodes' PutHubSpot, which run
     * at the same time.
     *
     * @return how often each key was upserted in this run
     */
    private Map<String, Integer> syncRun(final Map<String, String> model, final int expectedAdded, final int expectedChanged) throws Exception {
        final int exchangesBefore = hubSpot.server().recordedFor("POST", UPSERT).size();
        diff.clearTransferState();
        final StringBuilder snapshot = new StringBuilder();
        model.forEach((email, firstName) -> snapshot.append("{\"email\":\"").append(email).append("\",\"firstname\":\"").append(firstName).append("\"}\n"));
        diff.enqueue(snapshot.toString());
        diff.run();
        assertEquals(expectedAdded, lines(diff, DiffRecords.REL_ADDED).size());
        assertEquals(expectedChanged, lines(diff, DiffRecords.REL_CHANGED).size());
        assertEquals(0, lines(diff, DiffRecords.REL_REMOVED).size());
        assertEquals(0, lines(diff, DiffRecords.REL_FAILURE).size());
        assertEquals(model.size() - expectedAdded - expectedChanged, lines(diff, DiffRecords.REL_UNCHANGED).size());

        final List<String> changes = new ArrayList<>(lines(diff, DiffRecords.REL_ADDED));
        changes.addAll(lines(diff, DiffRecords.REL_CHANGED));
        final List<List<String>> perNode = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            perNode.add(new ArrayList<>());
        }
        for (int i = 0; i < changes.size(); i++) {
            perNode.get(i % NODES).add(changes.get(i));
        }
        for (int node = 0; node < NODES; node++) {
            final TestRunner put = puts.get(node);
            put.clearTransferState();
            final List<String> share = perNode.get(node);
            for (int from = 0; from < share.size(); from += 40) {
                put.enqueue(String.join("\n", share.subList(from, Math.min(share.size(), from + 40))) + "\n");
            }
        }
        final ExecutorService nodes = Executors.newFixedThreadPool(NODES);
        try {
            final List<Future<?>> running = new ArrayList<>();
            for (final TestRunner put : puts) {
                final int flowFiles = put.getQueueSize().getObjectCount();
                if (flowFiles > 0) {
                    running.add(nodes.submit(() -> put.run(flowFiles)));
                }
            }
            for (final Future<?> node : running) {
                node.get();
            }
        } finally {
            nodes.shutdownNow();
        }
        for (int node = 0; node < NODES; node++) {
            final TestRunner put = puts.get(node);
            assertEquals(0, put.getQueueSize().getObjectCount());
            assertEquals(perNode.get(node).size(), lines(put, AbstractPutDestination.REL_SUCCESS).size(), "node " + node + " wrote its whole share");
        }

        final Map<String, Integer> upserts = new HashMap<>();
        final List<RecordedExchange> exchanges = hubSpot.server().recordedFor("POST", UPSERT);
        for (final RecordedExchange exchange : exchanges.subList(exchangesBefore, exchanges.size())) {
            assertEquals(200, exchange.status());
            for (final JsonNode input : MAPPER.readTree(exchange.body()).path("inputs")) {
                upserts.merge(input.path("id").asText(), 1, Integer::sum);
            }
        }
        return upserts;
    }

    private static List<String> lines(final TestRunner runner, final Relationship relationship) {
        final List<String> lines = new ArrayList<>();
        for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
            flowFile.getContent().lines().filter(line -> !line.isBlank()).forEach(lines::add);
        }
        return lines;
    }

    private static String key(final String email) {
        return RowKey.of(List.of(email)).canonical();
    }
}
