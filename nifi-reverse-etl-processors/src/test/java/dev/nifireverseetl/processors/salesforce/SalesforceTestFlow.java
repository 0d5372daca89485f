package dev.nifireverseetl.processors.salesforce;

import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test harness: a PutSalesforce TestRunner wired to a Salesforce emulator (client credentials), JSON-lines records,
 * and an embedded sync state; builds records as DiffRecords emits them.
 */
final class SalesforceTestFlow {

    static final String SYNC_ID = "contacts-to-salesforce";
    static final String MAPPING = "warehouse_id=Warehouse_Id__c,last_name=LastName,email=Email,birthdate=Birthdate,orders=Orders__c";

    final SalesforceEmulator emulator;
    final TestRunner runner;
    final SyncStateService state;

    SalesforceTestFlow(final SalesforceEmulator emulator, final Path stateDirectory) throws InitializationException {
        this.emulator = emulator;
        this.runner = TestRunners.newTestRunner(PutSalesforce.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
        runner.setProperty(PutSalesforce.LOGIN_URL, emulator.baseUrl());
        runner.setProperty(PutSalesforce.CONSUMER_KEY, emulator.auth().consumerKey());
        runner.setProperty(PutSalesforce.CONSUMER_SECRET, emulator.auth().consumerSecret());
        runner.setProperty(PutSalesforce.SOBJECT, "Contact");
        runner.setProperty(PutSalesforce.EXTERNAL_ID_FIELD, "Warehouse_Id__c");
        runner.setProperty(PutSalesforce.MATCH_KEY_FIELD, "warehouse_id");
        runner.setProperty(PutSalesforce.FIELD_MAPPING, MAPPING);
        runner.setProperty(PutSalesforce.RETRY_BACKOFF, "5 ms");
        runner.setProperty(PutSalesforce.BULK_POLL_INTERVAL, "20 ms");
        runner.setProperty(PutSalesforce.READ_TIMEOUT, "2 sec");
        if (stateDirectory == null) {
            state = null;
            return;
        }
        final EmbeddedSyncStateService service = new EmbeddedSyncStateService();
        runner.addControllerService("state", service);
        runner.setProperty(service, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        runner.enableControllerService(service);
        runner.setProperty(PutSalesforce.SYNC_STATE_SERVICE, "state");
        runner.setProperty(PutSalesforce.SYNC_ID, SYNC_ID);
        state = service;
    }

    /**
     * @return a record as DiffRecords emits it
     */
    static Map<String, Object> row(final String key, final String lastName, final String email, final String version) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("warehouse_id", key);
        row.put("last_name", lastName);
        row.put("email", email);
        row.put("birthdate", "1990-03-07");
        row.put("orders", 3);
        row.put(SyncRecordFields.OPERATION, "added");
        row.put(SyncRecordFields.KEY, "[\"" + key + "\"]");
        row.put(SyncRecordFields.VERSION, version);
        row.put(SyncRecordFields.FIELD_HASHES, "{\"last_name\":\"" + version + "\"}");
        row.put(SyncRecordFields.RUN_ID, "run-1");
        return row;
    }

    static List<Map<String, Object>> rows(final int count, final String version) {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row("W-" + i, "Last" + i, "p" + i + "@example.com", version));
        }
        return rows;
    }

    static String jsonLines(final List<Map<String, Object>> rows) {
        final StringBuilder text = new StringBuilder();
        for (final Map<String, Object> row : rows) {
            text.append(Json.MAPPER.valueToTree(row).toString()).append('\n');
        }
        return text.toString();
    }

    void enqueue(final List<Map<String, Object>> rows) {
        runner.enqueue(jsonLines(rows));
    }

    /**
     * @return records on a relationship (parsed JSON lines)
     */
    List<Map<String, Object>> records(final String relationship) throws Exception {
        final List<Map<String, Object>> records = new ArrayList<>();
        for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
            for (final String line : flowFile.getContent().split("\n")) {
                if (!line.isBlank()) {
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> record = Json.MAPPER.readValue(line, Map.class);
                    records.add(record);
                }
            }
        }
        return records;
    }

    int count(final String relationship) throws Exception {
        return records(relationship).size();
    }

    /**
     * Conservation: every record that went in left through exactly one relationship.
     */
    void assertConservation(final int recordsIn) throws Exception {
        assertEquals(recordsIn, count("success") + count("failure") + count("retry") + count("superseded") + count("dry-run"));
    }
}
