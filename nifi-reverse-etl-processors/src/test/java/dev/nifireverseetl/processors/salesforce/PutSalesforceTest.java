package dev.nifireverseetl.processors.salesforce;

import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.testsupport.emulator.Fault;
import dev.nifireverseetl.testsupport.emulator.salesforce.BulkJobFate;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.util.MockFlowFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PutSalesforceTest {

    private static final String UPSERT_ROUTE = "PATCH /services/data/{version}/composite/sobjects/{sObject}/{externalIdField}";

    @TempDir
    Path stateDirectory;

    private SalesforceEmulator emulator;
    private SalesforceTestFlow flow;

    @BeforeEach
    void start() throws Exception {
        emulator = SalesforceEmulator.start();
        emulator.bulkDelays(20, 20);
        flow = new SalesforceTestFlow(emulator, stateDirectory);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void collectionsUpsertRoutesEachRecordAndAdvancesStateOnlyForAcceptedVersions() throws Exception {
        final List<Map<String, Object>> rows = SalesforceTestFlow.rows(450, "v1");
        rows.get(17).put("last_name", null);
        flow.enqueue(rows);
        flow.runner.run();

        flow.assertConservation(450);
        assertEquals(449, flow.count("success"));
        final List<Map<String, Object>> failed = flow.records("failure");
        assertEquals(1, failed.size());
        assertEquals("W-17", failed.get(0).get("warehouse_id"));
        assertEquals("REQUIRED_FIELD_MISSING", failed.get(0).get(SyncRecordFields.ERROR_CODE));
        assertEquals("Required fields are missing: [LastName]", failed.get(0).get(SyncRecordFields.ERROR_MESSAGE));
        final Map<String, Object> created = flow.records("success").get(0);
        assertEquals("true", String.valueOf(created.get(SyncRecordFields.CREATED)));
        assertTrue(String.valueOf(created.get(SyncRecordFields.DESTINATION_ID)).startsWith("003"));
        assertEquals(3, emulator.server().metrics().route(UPSERT_ROUTE));
        assertEquals(449, emulator.store().count("Contact"));
        final Map<String, Object> stored = emulator.store().findByExternalId("Contact", "Warehouse_Id__c", "W-5").get(0);
        assertEquals("Last5", stored.get("LastName"));
        assertEquals("1990-03-07", stored.get("Birthdate"));
        assertEquals(3L, stored.get("Orders__c"));

        final Map<String, KeyState> states = flow.state.getStates(SalesforceTestFlow.SYNC_ID, List.of("[\"W-5\"]", "[\"W-17\"]"));
        assertEquals("v1", states.get("[\"W-5\"]").acceptedVersion());
        assertEquals(stored.get("Id"), states.get("[\"W-5\"]").destinationId());
        assertEquals(null, states.get("[\"W-17\"]").acceptedVersion());

        flow.runner.clearTransferState();
        emulator.server().metrics().reset();
        flow.enqueue(rows);
        flow.runner.run();
        flow.assertConservation(450);
        assertEquals(449, flow.count("success"));
        assertEquals(1, flow.count("failure"));
        assertEquals(1, emulator.server().metrics().route(UPSERT_ROUTE), "only the failed row is sent again");
    }

    @Test
    void faultsNeverDuplicateRecordsAndTheFinalStoreEqualsTheModel() throws Exception {
        emulator.server().faults().random(0.3, 42, Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.BAD_GATEWAY, Fault.CONNECTION_RESET,
                Fault.TIMEOUT, Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING, Fault.MALFORMED_BODY);
        emulator.server().faults().onlyForPathsContaining("/composite/");
        emulator.server().faults().next(Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING, Fault.TIMEOUT);
        flow.runner.setProperty(PutSalesforce.READ_TIMEOUT, "300 ms");
        flow.runner.setProperty(PutSalesforce.MAX_RETRIES, "2");
        final List<Map<String, Object>> rows = SalesforceTestFlow.rows(600, "v1");
        flow.enqueue(rows);
        int rounds = 0;
        int retried = 600;
        while (retried > 0 && rounds++ < 20) {
            flow.runner.run();
            final List<Map<String, Object>> retry = flow.records("retry");
            retried = retry.size();
            flow.runner.clearTransferState();
            if (retried > 0) {
                flow.enqueue(retry);
            }
        }
        assertEquals(0, retried);
        assertEquals(600, emulator.store().count("Contact"), "upsert by External ID: no duplicates whatever the faults");
        for (final Map<String, Object> row : rows) {
            final List<Map<String, Object>> stored = emulator.store().findByExternalId("Contact", "Warehouse_Id__c", (String) row.get("warehouse_id"));
            assertEquals(1, stored.size());
            assertEquals(row.get("last_name"), stored.get(0).get("LastName"));
            assertEquals(row.get("email"), stored.get(0).get("Email"));
        }
        assertTrue(emulator.server().metrics().faults(Fault.RESET_AFTER_PROCESSING) > 0);
    }

    @Test
    void bulkPathRoutesExactlyTheFailedRowsToFailure() throws Exception {
        flow.runner.setProperty(PutSalesforce.BULK_THRESHOLD, "300");
        final List<Map<String, Object>> rows = SalesforceTestFlow.rows(700, "v1");
        rows.get(321).put("last_name", null);
        rows.get(600).put("email", "not-an-email");
        flow.enqueue(rows);
        flow.runner.run();

        flow.assertConservation(700);
        assertEquals(698, flow.count("success"));
        final List<Map<String, Object>> failed = flow.records("failure");
        assertEquals(2, failed.size());
        final Map<String, String> codes = Map.of((String) failed.get(0).get("warehouse_id"), (String) failed.get(0).get(SyncRecordFields.ERROR_CODE),
                (String) failed.get(1).get("warehouse_id"), (String) failed.get(1).get(SyncRecordFields.ERROR_CODE));
        assertEquals(Map.of("W-321", "REQUIRED_FIELD_MISSING", "W-600", "INVALID_EMAIL_ADDRESS"), codes);
        assertEquals(1, emulator.bulkJobCount());
        assertEquals(0, emulator.server().metrics().route(UPSERT_ROUTE));
        assertEquals(698, emulator.store().count("Contact"));
        final Map<String, Object> success = flow.records("success").get(0);
        final Map<String, Object> stored = emulator.store().findByExternalId("Contact", "Warehouse_Id__c", (String) success.get("warehouse_id")).get(0);
        assertEquals(stored.get("Id"), success.get(SyncRecordFields.DESTINATION_ID));
        assertEquals("true", String.valueOf(success.get(SyncRecordFields.CREATED)));
        assertEquals("v1", flow.state.getStates(SalesforceTestFlow.SYNC_ID, List.of("[\"W-5\"]")).get("[\"W-5\"]").acceptedVersion());
    }

    @Test
    void bulkPathSurvivesLostResponsesAndSplitsJobsByUploadSize() throws Exception {
        flow.runner.setProperty(PutSalesforce.BULK_THRESHOLD, "300");
        flow.runner.setProperty(PutSalesforce.BULK_UPLOAD_LIMIT, "20 KB");
        emulator.server().faults().random(0.25, 7, Fault.RESET_AFTER_PROCESSING, Fault.SERVICE_UNAVAILABLE, Fault.CONNECTION_RESET);
        emulator.server().faults().onlyForPathsContaining("/jobs/ingest");
        final List<Map<String, Object>> rows = SalesforceTestFlow.rows(800, "v1");
        flow.enqueue(rows);
        int rounds = 0;
        int retried = 800;
        while (retried > 0 && rounds++ < 10) {
            flow.runner.run();
            final List<Map<String, Object>> retry = flow.records("retry");
            assertEquals(0, flow.count("failure"));
            retried = retry.size();
            flow.runner.clearTransferState();
            if (retried > 0) {
                flow.enqueue(retry);
            }
        }
        assertEquals(0, retried);
        assertEquals(800, emulator.store().count("Contact"));
        final long csvBytesPerRow = 60;
        assertTrue(emulator.bulkJobCount() >= 800 * csvBytesPerRow / (20 * 1024), "jobs are cut by the upload limit: " + emulator.bulkJobCount());
    }

    @Test
    @Timeout(60)
    void bulkJobThatNeverFinishesIsAbortedAtTheTimeoutAndItsRecordsRetried() throws Exception {
        flow.runner.setProperty(PutSalesforce.BULK_THRESHOLD, "300");
        flow.runner.setProperty(PutSalesforce.BULK_JOB_TIMEOUT, "1 sec");
        flow.runner.setProperty(PutSalesforce.MAX_RETRIES, "1");
        emulator.bulkJobFate(BulkJobFate.NEVER_COMPLETE);
        flow.enqueue(SalesforceTestFlow.rows(400, "v1"));

        final long started = System.nanoTime();
        flow.runner.run();
        final long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        flow.assertConservation(400);
        final List<Map<String, Object>> retry = flow.records("retry");
        assertEquals(400, retry.size());
        assertEquals("BULK_JOB_TIMEOUT", retry.get(0).get(SyncRecordFields.ERROR_CODE));
        assertTrue(String.valueOf(retry.get(0).get(SyncRecordFields.ERROR_MESSAGE)).contains("Bulk Job Timeout"));
        assertTrue(elapsedMillis < 2 * 1_000 + 3_000, "two attempts of at most the timeout each, not a hang: " + elapsedMillis + " ms");
        assertEquals(List.of("Aborted", "Aborted"), emulator.bulkJobStates(), "each timed-out job is aborted, the first attempt and its retry");
        assertEquals(0, emulator.store().count("Contact"));
        final KeyState keyState = flow.state.getStates(SalesforceTestFlow.SYNC_ID, List.of("[\"W-5\"]")).get("[\"W-5\"]");
        assertTrue(keyState == null || keyState.acceptedVersion() == null, "nothing is recorded as accepted: " + keyState);

        flow.runner.clearTransferState();
        emulator.bulkJobFate(BulkJobFate.COMPLETE);
        flow.enqueue(retry);
        flow.runner.run();
        assertEquals(400, flow.count("success"));
        assertEquals(400, emulator.store().count("Contact"));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "MALFORMED_BODY", "TIMEOUT", "CONNECTION_RESET"})
    void transientTokenEndpointFaultRoutesTheRecordsToRetryAndYields(final Fault fault) throws Exception {
        emulator.server().faults().onlyForPathsContaining("/services/oauth2/token").random(1.0, 3, fault);
        flow.enqueue(SalesforceTestFlow.rows(5, "v1"));
        flow.runner.run();

        flow.assertConservation(5);
        flow.runner.assertAllFlowFilesTransferred("retry", 1);
        final MockFlowFile retried = flow.runner.getFlowFilesForRelationship("retry").get(0);
        assertTrue(retried.isPenalized());
        assertTrue(flow.runner.isYieldCalled());
        retried.assertAttributeEquals("retl.error.code", "TOKEN_UNAVAILABLE");
        final String message = retried.getAttribute("retl.error.message");
        assertTrue(message.contains("token"), message);
        assertFalse(message.contains(emulator.auth().consumerSecret()), "no secret in the message");
        assertEquals(0, emulator.store().count("Contact"));
        final KeyState keyState = flow.state.getStates(SalesforceTestFlow.SYNC_ID, List.of("[\"W-1\"]")).get("[\"W-1\"]");
        assertTrue(keyState == null || keyState.acceptedVersion() == null);

        emulator.server().faults().clear();
        flow.runner.clearTransferState();
        flow.runner.enqueue(retried.getContent());
        flow.runner.run();
        assertEquals(5, flow.count("success"));
        assertEquals(5, emulator.store().count("Contact"));
    }

    @Test
    void refusedCredentialsRouteToFailureWithSalesforcesErrorCode() throws Exception {
        flow.runner.setProperty(PutSalesforce.CONSUMER_SECRET, "not-the-secret");
        flow.enqueue(SalesforceTestFlow.rows(3, "v1"));
        flow.runner.run();

        flow.runner.assertAllFlowFilesTransferred("failure", 1);
        final MockFlowFile failed = flow.runner.getFlowFilesForRelationship("failure").get(0);
        failed.assertAttributeEquals("retl.error.code", "invalid_client");
        assertFalse(failed.getAttribute("retl.error.message").contains("not-the-secret"));
        assertEquals(3, flow.count("failure"));
    }

    @Test
    void tokenEndpointDownWhileRenewingRollsBackInsteadOfFailingTheTask() throws Exception {
        flow.enqueue(SalesforceTestFlow.rows(5, "v1"));
        flow.runner.run(1, false, true);
        assertEquals(5, flow.count("success"));
        flow.runner.clearTransferState();

        Thread.sleep(300); // past the renewal grace: a 401 right after a token was issued is not answered by a new token request
        emulator.auth().expireAllSessions();
        emulator.server().faults().onlyForPathsContaining("/services/oauth2/token").random(1.0, 3, Fault.SERVICE_UNAVAILABLE);
        flow.enqueue(SalesforceTestFlow.rows(5, "v2"));
        flow.runner.run(1, true, false);
        assertEquals(1, flow.runner.getQueueSize().getObjectCount(), "the FlowFile is back in the queue");
        assertEquals(0, flow.runner.getFlowFilesForRelationship("failure").size());
        assertTrue(flow.runner.isYieldCalled());
        assertEquals("v1", flow.state.getStates(SalesforceTestFlow.SYNC_ID, List.of("[\"W-1\"]")).get("[\"W-1\"]").acceptedVersion());

        emulator.server().faults().clear();
        flow.runner.run();
        flow.runner.run();
        assertEquals(1, flow.runner.getQueueSize().getObjectCount() + flow.runner.getFlowFilesForRelationship("success").size(),
                "written once the token endpoint is back (or still penalized)");
    }

    @Test
    void sessionExpiryMidRunReauthenticatesWithoutLosingRecords() throws Exception {
        emulator.auth().sessionTimeoutMillis(400);
        emulator.limits().processingMillis(100);
        flow.runner.setProperty(PutSalesforce.MAX_CONCURRENT_REQUESTS, "1");
        flow.enqueue(SalesforceTestFlow.rows(1000, "v1"));
        flow.runner.run();
        flow.assertConservation(1000);
        assertEquals(1000, flow.count("success"));
        assertEquals(1000, emulator.store().count("Contact"));
        assertTrue(emulator.auth().tokensIssued() >= 2, "re-authenticated after INVALID_SESSION_ID: " + emulator.auth().tokensIssued());
        assertTrue(emulator.server().metrics().status(401) >= 1);
    }

    @Test
    void spentDailyAllocationYieldsAndRoutesToRetryInsteadOfLooping() throws Exception {
        flow.runner.setProperty(PutSalesforce.MAX_CONCURRENT_REQUESTS, "1");
        flow.enqueue(SalesforceTestFlow.rows(200, "v1"));
        flow.runner.run();
        assertEquals(200, flow.count("success"));
        flow.runner.clearTransferState();

        emulator.limits().dailyApiRequests(1);
        flow.enqueue(SalesforceTestFlow.rows(600, "v2"));
        flow.runner.run();
        flow.assertConservation(600);
        final List<Map<String, Object>> retry = flow.records("retry");
        assertEquals(600, retry.size());
        assertEquals("REQUEST_LIMIT_EXCEEDED", retry.get(0).get(SyncRecordFields.ERROR_CODE));
        assertEquals(1, emulator.server().metrics().status(403), "no retry loop against a spent allocation");
        assertTrue(flow.runner.isYieldCalled());

        flow.runner.clearTransferState();
        flow.enqueue(SalesforceTestFlow.rows(10, "v3"));
        flow.runner.run();
        assertEquals(1, flow.runner.getQueueSize().getObjectCount(), "while the allocation is spent the processor yields before taking input");
        assertEquals(1, emulator.server().metrics().status(403));
    }

    @Test
    void removedRowsAreDeletedWithKnownOrLookedUpIds() throws Exception {
        final List<Map<String, Object>> rows = SalesforceTestFlow.rows(3, "v1");
        flow.enqueue(rows);
        flow.runner.run();
        assertEquals(3, emulator.store().count("Contact"));
        flow.runner.clearTransferState();
        final List<Map<String, Object>> removals = new ArrayList<>();
        for (final Map<String, Object> row : rows) {
            row.put(SyncRecordFields.OPERATION, "removed");
            removals.add(row);
        }
        removals.get(0).remove(SyncRecordFields.KEY);
        removals.get(0).remove(SyncRecordFields.VERSION);
        flow.enqueue(removals);
        flow.runner.run();
        flow.assertConservation(3);
        assertEquals(3, flow.count("success"));
        assertEquals(0, emulator.store().count("Contact"));
        assertEquals(1, emulator.server().metrics().route("GET /services/data/{version}/query"), "the untracked key's Id was looked up");
    }

    /**
     * A delete of a stale id answers ENTITY_IS_DELETED (or INVALID_CROSS_REFERENCE_KEY), which must not count as the
     * removal of the row: the record with the key (created again by another writer) stays live. Deletes use the ids a
     * query by External ID just found.
     */
    @Test
    void removalsDeleteTheIdFoundByExternalIdNeverAStaleOne() throws Exception {
        final List<Map<String, Object>> rows = SalesforceTestFlow.rows(1, "v1");
        flow.enqueue(rows);
        flow.runner.run();
        final String firstId = flow.records("success").getFirst().get(SyncRecordFields.DESTINATION_ID).toString();
        flow.runner.clearTransferState();
        final String secondId = recreate(firstId);

        final Map<String, Object> removal = new LinkedHashMap<>(rows.getFirst());
        removal.put(SyncRecordFields.OPERATION, "removed");
        removal.put(SyncRecordFields.VERSION, "removed:run-2");
        removal.put(SyncRecordFields.DESTINATION_ID, firstId);
        flow.enqueue(List.of(removal));
        flow.runner.run();

        flow.assertConservation(1);
        assertEquals(1, flow.count("success"));
        assertEquals(0, emulator.store().count("Contact"), "the live record " + secondId + " with the key was deleted");
        assertTrue(flow.state.getStates(SalesforceTestFlow.SYNC_ID, List.of("[\"W-0\"]")).isEmpty());
    }

    /**
     * Another writer deletes the record and creates it again: same External ID, new Salesforce Id.
     */
    private String recreate(final String oldId) throws Exception {
        final SalesforceTestFlow other = new SalesforceTestFlow(emulator, null);
        final Map<String, Object> removal = new LinkedHashMap<>(SalesforceTestFlow.row("W-0", "Last0", "p0@example.com", "x"));
        removal.put(SyncRecordFields.OPERATION, "removed");
        removal.put(SyncRecordFields.DESTINATION_ID, oldId);
        other.enqueue(List.of(removal));
        other.runner.run();
        assertEquals(0, emulator.store().count("Contact"));
        other.runner.clearTransferState();
        other.enqueue(List.of(SalesforceTestFlow.row("W-0", "Again", "p0@example.com", "x")));
        other.runner.run();
        final String newId = other.records("success").getFirst().get(SyncRecordFields.DESTINATION_ID).toString();
        assertNotEquals(oldId, newId);
        return newId;
    }

    @Test
    void jwtBearerAuthentication() throws Exception {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        final KeyPair keys = generator.generateKeyPair();
        emulator.auth().jwtBearer(keys.getPublic(), "sync@acme.example", "https://login.salesforce.com");
        final String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        flow.runner.setProperty(PutSalesforce.AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.JWT_BEARER.getValue());
        flow.runner.setProperty(PutSalesforce.USERNAME, "sync@acme.example");
        flow.runner.setProperty(PutSalesforce.PRIVATE_KEY, pem);
        flow.enqueue(SalesforceTestFlow.rows(5, "v1"));
        flow.runner.run();
        assertEquals(5, flow.count("success"));

        flow.runner.setProperty(PutSalesforce.PRIVATE_KEY, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----");
        flow.runner.assertNotValid();
    }

    @Test
    void verifyChecksTokenSObjectAndExternalIdField() {
        final List<ConfigVerificationResult> ok = flow.runner.verify(Map.of());
        assertEquals(3, ok.size());
        for (final ConfigVerificationResult result : ok) {
            assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, result.getOutcome(), result.getExplanation());
        }
        flow.runner.setProperty(PutSalesforce.EXTERNAL_ID_FIELD, "LastName");
        assertEquals(ConfigVerificationResult.Outcome.FAILED, flow.runner.verify(Map.of()).get(2).getOutcome());
        flow.runner.setProperty(PutSalesforce.SOBJECT, "Nope__c");
        assertEquals(ConfigVerificationResult.Outcome.FAILED, flow.runner.verify(Map.of()).get(1).getOutcome());
        flow.runner.setProperty(PutSalesforce.CONSUMER_SECRET, "wrong");
        final List<ConfigVerificationResult> refused = flow.runner.verify(Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, refused.get(0).getOutcome());
        assertTrue(refused.get(0).getExplanation().contains("invalid_client"));
        assertFalse(refused.get(0).getExplanation().contains("wrong"));
        assertEquals(ConfigVerificationResult.Outcome.SKIPPED, refused.get(1).getOutcome());
    }

    @Test
    void provenanceAndCountersWithoutSecrets() throws Exception {
        flow.enqueue(SalesforceTestFlow.rows(3, "v1"));
        flow.runner.run();
        final MockFlowFile success = flow.runner.getFlowFilesForRelationship("success").get(0);
        success.assertAttributeEquals("retl.success.count", "3");
        assertNotNull(flow.runner.getProvenanceEvents().stream().filter(event -> event.getTransitUri() != null
                && event.getTransitUri().startsWith(emulator.baseUrl() + "/services/data/v62.0/composite/sobjects")).findFirst().orElse(null));
        assertEquals(3, flow.runner.getCounterValue("Records Succeeded"));
    }
}
