package dev.nifireverseetl.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.salesforce.PutSalesforce;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationMethod;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Salesforce Contacts upserted by the External ID Warehouse_Id__c: on the sObject Collections path, or (bulk) through
 * Bulk API 2.0 ingest jobs for every FlowFile above a small threshold. Removals delete.
 */
final class SalesforceDestination implements SyncDestination {

    static final int BULK_THRESHOLD = 200;

    private final SalesforceEmulator emulator;
    private final boolean bulk;
    private volatile String consumerKey;
    private volatile String consumerSecret;

    SalesforceDestination(final boolean bulk) {
        this.bulk = bulk;
        emulator = SalesforceEmulator.start();
        emulator.bulkDelays(10, 10);
        consumerKey = emulator.auth().consumerKey();
        consumerSecret = emulator.auth().consumerSecret();
    }

    SalesforceEmulator emulator() {
        return emulator;
    }

    /**
     * Switches the runners created from now on to another connected app (its own API budget).
     */
    void useConnectedApp(final String key, final String secret) {
        emulator.auth().clientCredentials(key, secret);
        consumerKey = key;
        consumerSecret = secret;
    }

    @Override
    public String name() {
        return bulk ? "Salesforce Bulk" : "Salesforce";
    }

    @Override
    public EmulatorServer server() {
        return emulator.server();
    }

    @Override
    public TestRunner newPutRunner() {
        final TestRunner runner = TestRunners.newTestRunner(PutSalesforce.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
        runner.setProperty(PutSalesforce.LOGIN_URL, emulator.baseUrl());
        runner.setProperty(PutSalesforce.CONSUMER_KEY, consumerKey);
        runner.setProperty(PutSalesforce.CONSUMER_SECRET, consumerSecret);
        runner.setProperty(PutSalesforce.SOBJECT, "Contact");
        runner.setProperty(PutSalesforce.EXTERNAL_ID_FIELD, "Warehouse_Id__c");
        runner.setProperty(PutSalesforce.MATCH_KEY_FIELD, "warehouse_id");
        runner.setProperty(PutSalesforce.FIELD_MAPPING, "warehouse_id=Warehouse_Id__c,first_name=FirstName,last_name=LastName,email=Email");
        runner.setProperty(PutSalesforce.BULK_POLL_INTERVAL, "20 ms");
        runner.setProperty(PutSalesforce.BULK_THRESHOLD, bulk ? String.valueOf(BULK_THRESHOLD) : "100000");
        return runner;
    }

    @Override
    public String keyField() {
        return "warehouse_id";
    }

    @Override
    public ObjectNode record(final ModelRow row) {
        return Json.object("warehouse_id", row.key(), "first_name", row.first(), "last_name", row.last(), "email", row.email());
    }

    @Override
    public Map<String, String> expected(final JsonNode record) {
        return Map.of("FirstName", record.path("first_name").asText(), "LastName", record.path("last_name").asText(), "Email", record.path("email").asText());
    }

    @Override
    public Map<String, Map<String, String>> contents() {
        final Map<String, Map<String, String>> contents = new TreeMap<>();
        for (final Map<String, Object> record : emulator.store().records("Contact")) {
            final Map<String, String> previous = contents.put(String.valueOf(record.get("Warehouse_Id__c")), Map.of(
                    "FirstName", String.valueOf(record.get("FirstName")), "LastName", String.valueOf(record.get("LastName")), "Email", String.valueOf(record.get("Email"))));
            assertNull(previous, "two Salesforce Contacts with the External ID " + record.get("Warehouse_Id__c"));
        }
        return contents;
    }

    @Override
    public Map<String, String> destinationIds() {
        final Map<String, String> ids = new TreeMap<>();
        for (final Map<String, Object> record : emulator.store().records("Contact")) {
            ids.put(String.valueOf(record.get("Warehouse_Id__c")), String.valueOf(record.get("Id")));
        }
        return ids;
    }

    @Override
    public RateLimiter exhaustedLimiter() {
        return null;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
