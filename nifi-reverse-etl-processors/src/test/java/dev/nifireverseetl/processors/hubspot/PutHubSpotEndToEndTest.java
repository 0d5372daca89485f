package dev.nifireverseetl.processors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.diff.DiffRecords;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain: DiffRecords → PutHubSpot with one EmbeddedSyncStateService (same state directory; the services of
 * the two runners take turns, as after a restart). Run 1 syncs a snapshot, run 2 sends only the changes (one rejected
 * by HubSpot), run 3 sends the fixed row and a stale replay of the rejected version is superseded; the emulator's
 * final store equals the model.
 */
class PutHubSpotEndToEndTest {

    private static final String SYNC = "contacts-sync";

    @TempDir
    private Path stateDirectory;

    private HubSpotEmulator emulator;
    private TestRunner diff;
    private TestRunner put;
    private EmbeddedSyncStateService diffState;
    private EmbeddedSyncStateService putState;

    @BeforeEach
    void setUp() throws Exception {
        emulator = HubSpotTestSupport.emulator();
        emulator.rateLimit(190, 1_000_000);
        emulator.server().recording(true);
        diff = TestRunners.newTestRunner(DiffRecords.class);
        JsonLines.register(diff, DiffRecords.RECORD_READER.getName(), DiffRecords.RECORD_WRITER.getName());
        diffState = new EmbeddedSyncStateService();
        diff.addControllerService("state", diffState);
        diff.setProperty(diffState, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        diff.setProperty(DiffRecords.SYNC_STATE_SERVICE, "state");
        diff.setProperty(DiffRecords.SYNC_ID, SYNC);
        diff.setProperty(DiffRecords.KEY_FIELDS, "email");

        put = HubSpotTestSupport.runner(emulator);
        putState = new EmbeddedSyncStateService();
        put.addControllerService("state", putState);
        put.setProperty(putState, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        put.setProperty(AbstractPutDestination.SYNC_STATE_SERVICE, "state");
        put.setProperty(AbstractPutDestination.SYNC_ID, SYNC);
    }

    @AfterEach
    void tearDown() {
        emulator.close();
    }

    private static Map<String, String[]> snapshot(final int count) {
        final Map<String, String[]> rows = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            rows.put("c" + i + "@example.com", new String[]{"First" + i, String.valueOf(i)});
        }
        return rows;
    }

    private static String lines(final Map<String, String[]> rows) {
        final List<String> lines = new ArrayList<>();
        rows.forEach((email, values) -> lines.add("{\"email\":\"" + email + "\",\"firstname\":\"" + values[0] + "\",\"score\":\"" + values[1] + "\"}"));
        return String.join("\n", lines) + "\n";
    }

    /**
     * Runs DiffRecords on the snapshot, then PutHubSpot on every diff output; returns the upsert inputs sent.
     */
    private List<JsonNode> syncRun(final Map<String, String[]> rows) throws Exception {
        if (put.isControllerServiceEnabled(putState)) {
            put.disableControllerService(putState);
        }
        diff.enableControllerService(diffState);
        diff.clearTransferState();
        diff.enqueue(lines(rows));
        diff.run();
        diff.disableControllerService(diffState);
        put.enableControllerService(putState);
        final int before = upsertInputs().size();
        put.clearTransferState();
        long records = 0;
        for (final Relationship relationship : List.of(DiffRecords.REL_ADDED, DiffRecords.REL_CHANGED, DiffRecords.REL_REMOVED)) {
            for (final MockFlowFile flowFile : diff.getFlowFilesForRelationship(relationship)) {
                put.enqueue(flowFile.getContent());
                records += Long.parseLong(flowFile.getAttribute("record.count"));
            }
        }
        assertTrue(diff.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).isEmpty());
        if (records > 0) {
            put.run(put.getQueueSize().getObjectCount());
        }
        HubSpotTestSupport.assertConservation(put, records);
        final List<JsonNode> inputs = upsertInputs();
        return inputs.subList(before, inputs.size());
    }

    private List<JsonNode> upsertInputs() throws Exception {
        final List<JsonNode> inputs = new ArrayList<>();
        for (final RecordedExchange exchange : emulator.server().recordedFor("POST", "/crm/v3/objects/contacts/batch/upsert")) {
            HubSpotTestSupport.MAPPER.readTree(exchange.body()).path("inputs").forEach(inputs::add);
        }
        return inputs;
    }

    private void assertStoreEquals(final Map<String, String[]> model) {
        final List<Map<String, String>> records = emulator.records("contacts");
        assertEquals(model.size(), records.size());
        for (final Map<String, String> record : records) {
            final String[] expected = model.get(record.get("email"));
            assertEquals(expected[0], record.get("firstname"), record.get("email"));
            assertEquals(expected[1], record.get("score"), record.get("email"));
        }
    }

    @Test
    void syncsSnapshotThenOnlyChangesAndRetriesRejectedRowsOnlyWhileCurrent() throws Exception {
        final Map<String, String[]> run1 = snapshot(250);
        assertEquals(250, syncRun(run1).size());
        assertStoreEquals(run1);

        final Map<String, String[]> run2 = new TreeMap<>(run1);
        for (int i = 0; i < 20; i++) {
            run2.put("c" + i + "@example.com", new String[]{"Changed" + i, String.valueOf(i)});
        }
        for (int i = 250; i < 260; i++) {
            run2.put("c" + i + "@example.com", new String[]{"New" + i, String.valueOf(i)});
        }
        for (int i = 240; i < 245; i++) {
            run2.remove("c" + i + "@example.com");
        }
        run2.put("c100@example.com", new String[]{"First100", "not-a-number"});
        final List<JsonNode> sent2 = syncRun(run2);
        assertEquals(20 + 10 + 1, sent2.stream().map(input -> input.path("id").asText()).distinct().count(),
                "run 2 sends only the changed and added rows (the rejected one's batch is split to isolate it)");
        for (final JsonNode input : sent2) {
            if (input.path("id").asText().startsWith("c1") && input.path("id").asText().compareTo("c2") < 0 && input.path("properties").has("firstname")
                    && input.path("properties").path("firstname").asText().startsWith("Changed")) {
                assertTrue(!input.path("properties").has("score"), "only the changed field is sent for a changed row");
            }
        }
        final List<JsonNode> failed = HubSpotTestSupport.records(put, AbstractPutDestination.REL_FAILURE);
        assertEquals(1, failed.size());
        assertEquals("c100@example.com", failed.getFirst().path("email").asText());
        assertEquals("INVALID_DECIMAL", failed.getFirst().path(SyncRecordFields.ERROR_CODE).asText());
        final String rejectedFailure = put.getFlowFilesForRelationship(AbstractPutDestination.REL_FAILURE).getFirst().getContent();
        final Map<String, String[]> expectedAfterRun2 = new TreeMap<>(run2);
        expectedAfterRun2.put("c100@example.com", run1.get("c100@example.com"));
        assertStoreEquals(expectedAfterRun2);

        final Map<String, String[]> run3 = new TreeMap<>(run2);
        run3.put("c100@example.com", new String[]{"First100", "100.5"});
        final List<JsonNode> sent3 = syncRun(run3);
        assertEquals(1, sent3.size(), "run 3 sends the rejected row again, with its current values");
        assertEquals("100.5", sent3.getFirst().path("properties").path("score").asText());
        assertStoreEquals(run3);

        put.clearTransferState();
        put.enqueue(rejectedFailure);
        put.run();
        HubSpotTestSupport.assertConservation(put, 1);
        assertEquals(1, HubSpotTestSupport.records(put, AbstractPutDestination.REL_SUCCESS).size() + HubSpotTestSupport.records(put, AbstractPutDestination.REL_SUPERSEDED).size());
        assertEquals(0, HubSpotTestSupport.records(put, AbstractPutDestination.REL_SUCCESS).size(), "a stale replay of the rejected version is never sent");
        assertStoreEquals(run3);

        final List<JsonNode> sent4 = syncRun(run3);
        assertEquals(0, sent4.size(), "nothing changed: nothing is sent");
    }
}
