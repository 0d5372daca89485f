package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationMethod;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResolveExternalIdsSalesforceTest {

    private static final String QUERY_ROUTE = "GET /services/data/{version}/query";
    private static final String QUERY_MORE_ROUTE = "GET /services/data/{version}/query/{queryLocator}";

    @TempDir
    Path stateDirectory;

    private SalesforceEmulator salesforce;
    private SalesforceSeeder seeder;
    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        salesforce = SalesforceEmulator.start();
        seeder = new SalesforceSeeder(salesforce);
        runner = ResolveTestSupport.runner(stateDirectory);
        runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.SALESFORCE.getValue());
        runner.setProperty(ResolveExternalIds.SALESFORCE_AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
        runner.setProperty(ResolveExternalIds.SALESFORCE_LOGIN_URL, salesforce.baseUrl());
        runner.setProperty(ResolveExternalIds.SALESFORCE_CONSUMER_KEY, salesforce.auth().consumerKey());
        runner.setProperty(ResolveExternalIds.SALESFORCE_CONSUMER_SECRET, salesforce.auth().consumerSecret());
        runner.setProperty(ResolveExternalIds.SALESFORCE_SOBJECT, "Contact");
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Warehouse_Id__c");
        runner.setProperty(ResolveExternalIds.MATCH_FIELD, "warehouse_id");
        runner.setProperty(ResolveExternalIds.OUTPUT_FIELD, "salesforce_id");
        runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "5 ms");
    }

    @AfterEach
    void tearDown() {
        salesforce.close();
    }

    private Map<String, String> seedWarehouseIds(final List<String> warehouseIds) {
        final List<Map<String, Object>> records = new ArrayList<>();
        for (final String warehouseId : warehouseIds) {
            records.add(Map.of("Warehouse_Id__c", warehouseId));
        }
        final List<String> ids = seeder.contacts(records);
        final Map<String, String> idByWarehouseId = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            idByWarehouseId.put(warehouseIds.get(i), ids.get(i));
        }
        salesforce.server().metrics().reset();
        return idByWarehouseId;
    }

    private String cachedId(final String rowKey) {
        return ResolveTestSupport.state(runner).getDestinationIds(ResolveTestSupport.SYNC_ID, List.of(ResolveTestSupport.key(rowKey)))
                .get(ResolveTestSupport.key(rowKey));
    }

    @Test
    void matchesCaseInsensitivelyInSoqlBatchesAndServesTheNextRunFromTheCacheWithoutRequests() {
        final List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            if (i % 5 != 0) {
                seeded.add("W-" + i);
            }
        }
        final Map<String, String> ids = seedWarehouseIds(seeded);
        final StringBuilder input = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            // the warehouse sends lower case; SOQL compares text case-insensitively
            input.append(ResolveTestSupport.line("row-" + i, "warehouse_id", "w-" + i));
        }
        input.append(ResolveTestSupport.line("row-no-value", "warehouse_id", null));
        runner.enqueue(input.toString());
        runner.run();

        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 251);
        assertEquals(200, counts.get("matched"));
        assertEquals(50, counts.get("unmatched"));
        assertEquals(1, counts.get("failure"));
        assertEquals(3, salesforce.server().metrics().route(QUERY_ROUTE), "250 values in queries of at most the Batch Size (100)");
        final MockFlowFile matched = runner.getFlowFilesForRelationship("matched").getFirst();
        matched.assertAttributeEquals("resolve.matched.count", "200");
        matched.assertAttributeEquals("resolve.request.count", "3");
        final String line = matched.getContent().lines().filter(text -> text.contains("\"w-1\"")).findFirst().orElseThrow();
        assertTrue(line.contains("\"" + SyncRecordFields.DESTINATION_ID + "\":\"" + ids.get("W-1") + "\""), line);
        assertTrue(line.contains("\"salesforce_id\":\"" + ids.get("W-1") + "\""), line);
        assertEquals(ids.get("W-1"), cachedId("row-1"));
        assertTrue(runner.getProvenanceEvents().stream().anyMatch(event -> event.getTransitUri() != null && event.getTransitUri().contains("/services/data/v62.0/query?q=SELECT")));
        assertTrue(runner.getProvenanceEvents().stream().noneMatch(event -> event.getTransitUri() != null && event.getTransitUri().contains(salesforce.auth().consumerSecret())));

        // steady state: the same rows again; every id comes from the cache, not one HTTP request is sent
        salesforce.server().metrics().reset();
        runner.clearTransferState();
        final StringBuilder again = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            if (i % 5 != 0) {
                again.append(ResolveTestSupport.line("row-" + i, "warehouse_id", "w-" + i));
            }
        }
        runner.enqueue(again.toString());
        runner.run();
        assertEquals(200, ResolveTestSupport.assertConserved(runner, 200).get("matched"));
        assertEquals(0, salesforce.server().metrics().requests(), "cache hits make no HTTP request");
        runner.getFlowFilesForRelationship("matched").getFirst().assertAttributeEquals("resolve.cache.hit.count", "200");
    }

    @Test
    void severalRecordsWithOneValueAreAmbiguousAndListTheirIds() {
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Email");
        runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
        final List<String> ids = seeder.contacts(List.of(Map.of("Email", "dup@example.com"), Map.of("Email", "DUP@Example.com"),
                Map.of("Email", "solo@example.com")));
        runner.enqueue(ResolveTestSupport.line("row-1", "email", "dup@example.com") + ResolveTestSupport.line("row-2", "email", "Solo@Example.com")
                + ResolveTestSupport.line("row-3", "email", "none@example.com"));
        runner.run();

        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 3);
        assertEquals(1, counts.get("ambiguous"));
        assertEquals(1, counts.get("matched"));
        assertEquals(1, counts.get("unmatched"));
        final MockFlowFile ambiguous = runner.getFlowFilesForRelationship("ambiguous").getFirst();
        ambiguous.assertAttributeEquals("retl.error.code", "AMBIGUOUS_MATCH");
        final String message = ambiguous.getAttribute("retl.error.message");
        assertTrue(message.startsWith("2 Salesforce records have this match value"), message);
        assertTrue(message.contains(ids.get(0)) && message.contains(ids.get(1)), message);
        assertTrue(ambiguous.getContent().contains("\"" + SyncRecordFields.DESTINATION_ID + "\":null"), "no id is guessed");
        assertTrue(runner.getFlowFilesForRelationship("matched").getFirst().getContent().contains(ids.get(2)));
        assertNull(cachedId("row-1"), "ambiguous matches are not cached");
        assertEquals(ids.get(2), cachedId("row-2"));
    }

    @Test
    void valuesWithQuotesAndBackslashesAreEscapedInSoql() {
        final Map<String, String> ids = seedWarehouseIds(List.of("O'Brien\\1", "plain"));
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "O'Brien\\\\1") + ResolveTestSupport.line("row-2", "warehouse_id", "x') OR Id != ('"));
        runner.run();
        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 2);
        assertEquals(1, counts.get("matched"));
        assertEquals(1, counts.get("unmatched"), "an injection attempt is just a value no record holds");
        assertTrue(runner.getFlowFilesForRelationship("matched").getFirst().getContent().contains(ids.get("O'Brien\\1")));
    }

    @Test
    void forgottenStaleIdIsLookedUpAgain() {
        final Map<String, String> ids = seedWarehouseIds(List.of("W-7"));
        ResolveTestSupport.state(runner).putDestinationIds(ResolveTestSupport.SYNC_ID, Map.of(ResolveTestSupport.key("row-7"), "003000000000000AAA"));
        // what PutSalesforce does when a write by this cached id answers ENTITY_IS_DELETED / NOT_FOUND
        ResolveTestSupport.state(runner).forgetDestinationIds(ResolveTestSupport.SYNC_ID, List.of(ResolveTestSupport.key("row-7")));
        runner.enqueue(ResolveTestSupport.line("row-7", "warehouse_id", "W-7"));
        runner.run();
        ResolveTestSupport.assertConserved(runner, 1);
        assertTrue(runner.getFlowFilesForRelationship("matched").getFirst().getContent().contains("\"" + ids.get("W-7") + "\""));
        assertEquals(1, salesforce.server().metrics().route(QUERY_ROUTE));
        assertEquals(ids.get("W-7"), cachedId("row-7"));
    }

    @Test
    void changedMatchValueStillFindsTheOldRecordThroughTheCache() {
        final Map<String, String> ids = seedWarehouseIds(List.of("W-1"));
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1"));
        runner.run();
        salesforce.server().metrics().reset();
        runner.clearTransferState();

        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1-renamed"));
        runner.run();
        ResolveTestSupport.assertConserved(runner, 1);
        assertTrue(runner.getFlowFilesForRelationship("matched").getFirst().getContent().contains("\"" + SyncRecordFields.DESTINATION_ID + "\":\"" + ids.get("W-1") + "\""));
        assertEquals(0, salesforce.server().metrics().requests());
    }

    @Test
    void followsNextRecordsUrlAcrossQueryPages() {
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Email");
        runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
        final List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            records.add(Map.of("Email", "many@example.com"));
        }
        records.add(Map.of("Email", "single@example.com"));
        seeder.contacts(records);
        salesforce.server().metrics().reset();
        runner.enqueue(ResolveTestSupport.line("row-1", "email", "many@example.com") + ResolveTestSupport.line("row-2", "email", "single@example.com"));
        runner.run();
        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 2);
        assertEquals(1, counts.get("ambiguous"));
        assertEquals(1, counts.get("matched"));
        assertEquals(1, salesforce.server().metrics().route(QUERY_ROUTE));
        assertEquals(1, salesforce.server().metrics().route(QUERY_MORE_ROUTE), "2101 rows: a page of 2000 and a nextRecordsUrl page");
        final String message = runner.getFlowFilesForRelationship("ambiguous").getFirst().getAttribute("retl.error.message");
        assertTrue(message.startsWith("2100 Salesforce records have this match value: "), message);
        assertTrue(message.endsWith(" and 2080 more"), "the message lists 20 ids, not 2100");
        runner.getFlowFilesForRelationship("matched").getFirst().assertAttributeEquals("resolve.request.count", "2");
    }

    @Test
    void longValuesSplitQueriesByLengthBeforeTheUrlGetsTooLong() {
        runner.setProperty(ResolveExternalIds.BATCH_SIZE, "200");
        final StringBuilder input = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            input.append(ResolveTestSupport.line("row-" + i, "warehouse_id", String.format("%03d", i) + "x".repeat(197)));
        }
        runner.enqueue(input.toString());
        runner.run();
        assertEquals(150, ResolveTestSupport.assertConserved(runner, 150).get("unmatched"));
        // each literal is ~203 encoded characters: 14,000 characters hold 68 of them, so 150 values need 3 queries, not 1
        assertEquals(3, salesforce.server().metrics().route(QUERY_ROUTE));
    }

    @Test
    void expiredSessionIsRenewedMidRun() {
        final Map<String, String> ids = seedWarehouseIds(List.of("W-1", "W-2"));
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1"));
        runner.run(1, false, true);
        final int tokens = salesforce.auth().tokensIssued();
        // a session older than the renewal grace (250 ms; concurrent 401s renew once) expires between two runs
        sleep(300);
        salesforce.auth().expireAllSessions();
        runner.enqueue(ResolveTestSupport.line("row-2", "warehouse_id", "W-2"));
        runner.run(1, true, false);

        assertEquals(2, ResolveTestSupport.assertConserved(runner, 2).get("matched"));
        assertEquals(1, salesforce.server().metrics().status(401), "one INVALID_SESSION_ID");
        assertEquals(tokens + 1, salesforce.auth().tokensIssued(), "the session was renewed once");
        assertEquals(ids.get("W-2"), cachedId("row-2"));
    }

    @Test
    void spentDailyAllocationRoutesToRetryAndYieldsWithoutLooping() {
        seedWarehouseIds(List.of("W-1"));
        salesforce.limits().dailyApiRequests(1);
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1") + ResolveTestSupport.line("row-2", "warehouse_id", "W-2"));
        runner.run(1, false, true);
        ResolveTestSupport.assertConserved(runner, 2);
        final MockFlowFile retry = runner.getFlowFilesForRelationship("retry").getFirst();
        retry.assertAttributeEquals("retl.error.code", "REQUEST_LIMIT_EXCEEDED");
        assertTrue(retry.isPenalized());
        assertEquals(1, salesforce.server().metrics().status(403), "no retry loop against a spent allocation");
        assertTrue(runner.isYieldCalled());

        runner.clearTransferState();
        runner.enqueue(ResolveTestSupport.line("row-3", "warehouse_id", "W-3"));
        runner.run(1, true, false);
        assertEquals(1, runner.getQueueSize().getObjectCount(), "while the allocation is spent the processor yields before taking input");
        assertEquals(1, salesforce.server().metrics().status(403));
    }

    @Test
    void refusedCredentialsRouteToFailureAndVerifyExplains() {
        runner.setProperty(ResolveExternalIds.SALESFORCE_CONSUMER_SECRET, "wrong-secret");
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1"));
        runner.run();
        ResolveTestSupport.assertConserved(runner, 1);
        final MockFlowFile failure = runner.getFlowFilesForRelationship("failure").getFirst();
        failure.assertAttributeEquals("retl.error.code", "AUTHENTICATION_FAILED");
        assertFalse(failure.getAttribute("retl.error.message").contains("wrong-secret"));

        final List<ConfigVerificationResult> refused = verify();
        assertEquals(ConfigVerificationResult.Outcome.FAILED, refused.getFirst().getOutcome());
        assertEquals(ConfigVerificationResult.Outcome.SKIPPED, refused.get(1).getOutcome());
    }

    @Test
    void verifyChecksTheSObjectAndThatTheFieldIsAFilterableTextField() {
        final List<ConfigVerificationResult> ok = verify();
        assertEquals(3, ok.size());
        ok.forEach(result -> assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, result.getOutcome(), result.getExplanation()));
        assertTrue(ok.get(2).getExplanation().contains("unique values"), ok.get(2).getExplanation());

        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Email");
        assertTrue(verify().get(2).getExplanation().contains("ambiguous"));

        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Orders__c");
        final ConfigVerificationResult numeric = verify().get(2);
        assertEquals(ConfigVerificationResult.Outcome.FAILED, numeric.getOutcome());
        assertTrue(numeric.getExplanation().contains("int field"), numeric.getExplanation());

        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "No_Such_Field__c");
        assertEquals(ConfigVerificationResult.Outcome.FAILED, verify().get(2).getOutcome());

        runner.setProperty(ResolveExternalIds.SALESFORCE_SOBJECT, "Invoice__c");
        final List<ConfigVerificationResult> missing = verify();
        assertEquals(ConfigVerificationResult.Outcome.FAILED, missing.get(1).getOutcome(), missing.get(1).getExplanation());
        assertEquals(ConfigVerificationResult.Outcome.SKIPPED, missing.get(2).getOutcome());
    }

    @Test
    void salesforcePropertiesAreShownForSalesforceOnly() {
        runner.assertValid();
        runner.setProperty(ResolveExternalIds.SALESFORCE_AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.ACCESS_TOKEN_PROVIDER.getValue());
        runner.setProperty(ResolveExternalIds.SALESFORCE_INSTANCE_URL, salesforce.baseUrl());
        runner.assertNotValid();
        runner.setProperty(ResolveExternalIds.SALESFORCE_AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER.getValue());
        runner.setProperty(ResolveExternalIds.SALESFORCE_USERNAME, "sync@acme.example");
        runner.setProperty(ResolveExternalIds.SALESFORCE_PRIVATE_KEY, "not a key");
        runner.assertNotValid();
        runner.setProperty(ResolveExternalIds.SALESFORCE_AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Warehouse Id");
        runner.assertNotValid();
    }

    private static void sleep(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<ConfigVerificationResult> verify() {
        return ((ResolveExternalIds) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
    }
}
