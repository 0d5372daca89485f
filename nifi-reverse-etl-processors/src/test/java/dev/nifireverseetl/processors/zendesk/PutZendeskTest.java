package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.Fault;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.zendesk.JobFate;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import dev.nifireverseetl.testsupport.services.StaticAccessTokenProvider;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PutZendeskTest {

    private static final String SYNC = "zendesk-users";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Relationship> OUTCOMES = List.of(AbstractPutDestination.REL_SUCCESS, AbstractPutDestination.REL_FAILURE,
            AbstractPutDestination.REL_RETRY, AbstractPutDestination.REL_SUPERSEDED);

    private ZendeskEmulator zendesk;
    private TestRunner runner;
    private EmbeddedSyncStateService state;
    @TempDir
    private Path stateDirectory;

    @BeforeEach
    void setUp() throws Exception {
        zendesk = new ZendeskEmulator().apiToken("admin@acme.com", "tok-123").oauthToken("oauth-xyz").jobDuration(40, 120).plan(100_000).start();
        runner = TestRunners.newTestRunner(PutZendesk.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutZendesk.BASE_URL, zendesk.baseUrl());
        runner.setProperty(PutZendesk.AGENT_EMAIL, "admin@acme.com");
        runner.setProperty(PutZendesk.API_TOKEN, "tok-123");
        runner.setProperty(PutZendesk.REQUESTS_PER_MINUTE, "100000");
        runner.setProperty(PutZendesk.JOB_POLL_INTERVAL, "20 ms");
        runner.setProperty(PutZendesk.MAX_JOB_POLL_INTERVAL, "200 ms");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "external_id");
        runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "20 ms");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "2 sec");
        state = new EmbeddedSyncStateService();
        runner.addControllerService("state", state);
        runner.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        runner.enableControllerService(state);
        runner.setProperty(AbstractPutDestination.SYNC_STATE_SERVICE, "state");
        runner.setProperty(AbstractPutDestination.SYNC_ID, SYNC);
    }

    private KeyState stateOf(final String key) {
        return state.getStates(SYNC, List.of(key)).get(key);
    }

    @AfterEach
    void tearDown() {
        zendesk.close();
    }

    @Test
    void upsertsUsersAndRecordsAcceptedVersionsAndIds() throws IOException {
        zendesk.seedUser(Json.object("name", "Old Name", "email", "u-7@example.com", "external_id", "U-7"));
        run(users(0, 250, "added"));
        final Map<Relationship, List<JsonNode>> out = outcomes(250);
        assertEquals(250, out.get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(250, zendesk.users().size());
        assertEquals("User 7", zendesk.userByExternalId("u-7").path("name").asText());
        assertEquals("gold", zendesk.userByExternalId("U-8").path("user_fields").path("plan").asText(), "unknown fields become user_fields");
        final JsonNode seven = find(out.get(AbstractPutDestination.REL_SUCCESS), "U-7");
        assertEquals("false", seven.path("_retl_created").asText());
        final JsonNode eight = find(out.get(AbstractPutDestination.REL_SUCCESS), "U-8");
        assertEquals("true", eight.path("_retl_created").asText());
        final KeyState accepted = stateOf(key("U-8"));
        assertEquals("v1-U-8", accepted.acceptedVersion());
        assertEquals(zendesk.userByExternalId("U-8").path("id").asText(), accepted.destinationId());
        assertEquals(3, zendesk.jobsCreated(), "100 users per job");

        final long requestsBefore = zendesk.server().metrics().requests();
        runner.clearTransferState();
        run(users(0, 250, "added"));
        assertEquals(250, outcomes(250).get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(requestsBefore, zendesk.server().metrics().requests(), "accepted versions are not sent again");
    }

    @Test
    void itemsAJobFailsGoToFailureWithZendesksError() throws IOException {
        zendesk.rejectUsers(user -> Set.of("U-3", "U-50", "U-120").contains(user.path("external_id").asText()), "InvalidValue", "Plan: is not a valid option");
        run(users(0, 150, "added"));
        final Map<Relationship, List<JsonNode>> out = outcomes(150);
        final List<JsonNode> failed = out.get(AbstractPutDestination.REL_FAILURE);
        assertEquals(3, failed.size());
        final Set<String> failedKeys = new HashSet<>();
        for (final JsonNode record : failed) {
            failedKeys.add(record.path("external_id").asText());
            assertEquals("InvalidValue", record.path("_retl_error_code").asText());
            assertEquals("Plan: is not a valid option", record.path("_retl_error_message").asText());
        }
        assertEquals(Set.of("U-3", "U-50", "U-120"), failedKeys);
        assertEquals(147, out.get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(KeyState.Outcome.FAILED, stateOf(key("U-50")).lastOutcome());
        assertNull(stateOf(key("U-50")).acceptedVersion());
        assertNull(zendesk.userByExternalId("U-50"));
    }

    @Test
    void aJobThatDiesIsRetriedWithoutDuplicates() throws IOException {
        zendesk.nextJobs(JobFate.DIE, JobFate.DIE);
        run(users(0, 200, "added"));
        final Map<Relationship, List<JsonNode>> out = outcomes(200);
        assertEquals(200, out.get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(200, zendesk.users().size(), "the half the dead jobs wrote was matched again, not duplicated");
        assertEquals(4, zendesk.jobsCreated());
    }

    @Test
    void aJobThatNeverCompletesSendsItsRecordsToRetryNeverToSuccess() throws IOException {
        zendesk.defaultJobFate(JobFate.NEVER_COMPLETE);
        runner.setProperty(PutZendesk.JOB_TIMEOUT, "300 ms");
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "0");
        run(users(0, 120, "added"));
        final Map<Relationship, List<JsonNode>> out = outcomes(120);
        assertEquals(120, out.get(AbstractPutDestination.REL_RETRY).size());
        assertEquals("JOB_TIMEOUT", out.get(AbstractPutDestination.REL_RETRY).getFirst().path("_retl_error_code").asText());
        assertNull(stateOf(key("U-1")).acceptedVersion());
        runner.assertPenalizeCount(1);
    }

    @Test
    void anExpiredJobIsATransientFailure() throws IOException {
        zendesk.jobRetention(1);
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "0");
        run(users(0, 10, "added"));
        final List<JsonNode> retried = outcomes(10).get(AbstractPutDestination.REL_RETRY);
        assertEquals(10, retried.size());
        assertEquals("JOB_EXPIRED", retried.getFirst().path("_retl_error_code").asText());
    }

    @Test
    void faultsAndLostResponsesLoseNothingAndDuplicateNothing() throws IOException {
        zendesk.server().faults().next(Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING).random(0.25, 42, Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.BAD_GATEWAY, Fault.CONNECTION_RESET,
                Fault.TIMEOUT, Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING, Fault.MALFORMED_BODY);
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "10");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "300 ms");
        run(users(0, 300, "added"));
        final Map<Relationship, List<JsonNode>> out = outcomes(300);
        assertEquals(300, out.get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(300, zendesk.users().size(), "create_or_update_many matching makes resends harmless");
        assertTrue(zendesk.server().metrics().faults(Fault.RESET_AFTER_PROCESSING) > 0);
    }

    @Test
    void theQueuedJobLimitIsWaitedOut() throws IOException {
        zendesk.jobLimit(1).jobDuration(200, 200);
        runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "4");
        run(users(0, 400, "added"));
        assertEquals(400, outcomes(400).get(AbstractPutDestination.REL_SUCCESS).size());
        assertTrue(zendesk.server().metrics().status(429) > 0, "Zendesk refused jobs beyond its limit");
        assertEquals(1, zendesk.maxActiveJobsSeen());
    }

    @Test
    void disabledBulkImportFailsEveryRecordWithAnExplanationAndNoRetry() throws IOException {
        zendesk.bulkImportEnabled(false);
        run(users(0, 5, "added"));
        final List<JsonNode> failed = outcomes(5).get(AbstractPutDestination.REL_FAILURE);
        assertEquals(5, failed.size());
        assertEquals("BULK_IMPORT_DISABLED", failed.getFirst().path("_retl_error_code").asText());
        assertTrue(failed.getFirst().path("_retl_error_message").asText().contains("account owner"));
        assertEquals(1, zendesk.server().metrics().status(403), "not retried");
    }

    @Test
    void removedUsersAreSuspendedOrDeleted() throws IOException {
        run(users(0, 4, "added"));
        runner.clearTransferState();
        run(users(0, 2, "removed"));
        assertEquals(2, outcomes(2).get(AbstractPutDestination.REL_SUCCESS).size());
        assertTrue(zendesk.userByExternalId("U-0").path("suspended").asBoolean());
        assertNull(stateOf(key("U-0")));

        runner.clearTransferState();
        runner.setProperty(PutZendesk.USER_REMOVAL_ACTION, UserRemovalAction.DELETE);
        run(users(2, 2, "removed"));
        assertEquals(2, outcomes(2).get(AbstractPutDestination.REL_SUCCESS).size());
        assertNull(zendesk.userByExternalId("U-3"));
        assertEquals(2, zendesk.deletedUsers());
    }

    @Test
    void removalByEmailWithAStaleIdRemovesTheUserThatHasTheEmail() throws IOException {
        runner.setProperty(PutZendesk.USER_MATCH_FIELD, UserMatchField.EMAIL);
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        run(emailUser("live@example.com", "added", null));
        assertEquals(1, outcomes(1).get(AbstractPutDestination.REL_SUCCESS).size());
        final long liveId = zendesk.userByEmail("live@example.com").path("id").asLong();
        runner.clearTransferState();

        final String staleId = String.valueOf(liveId + 1_000_000);
        run(emailUser("live@example.com", "removed", staleId));
        final JsonNode removed = outcomes(1).get(AbstractPutDestination.REL_SUCCESS).getFirst();
        assertTrue(zendesk.userByEmail("live@example.com").path("suspended").asBoolean(),
                "the user with the email is suspended, not a stale id counted as already gone");
        assertEquals(String.valueOf(liveId), removed.path("_retl_destination_id").asText());
        assertNull(stateOf(key("live@example.com")));
    }

    @Test
    void removalByEmailNeverSuspendsTheUserAStaleIdNowBelongsTo() throws IOException {
        runner.setProperty(PutZendesk.USER_MATCH_FIELD, UserMatchField.EMAIL);
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        zendesk.seedUser(Json.object("name", "Other", "email", "other@example.com"));
        final long otherId = zendesk.userByEmail("other@example.com").path("id").asLong();
        run(emailUser("synced@example.com", "added", null));
        assertEquals(1, outcomes(1).get(AbstractPutDestination.REL_SUCCESS).size());
        runner.clearTransferState();

        run(emailUser("synced@example.com", "removed", String.valueOf(otherId)));
        assertEquals(1, outcomes(1).get(AbstractPutDestination.REL_SUCCESS).size());
        assertFalse(zendesk.userByEmail("other@example.com").path("suspended").asBoolean(), "an id that belongs to another email is left alone");
        assertTrue(zendesk.userByEmail("synced@example.com").path("suspended").asBoolean());
    }

    private static String emailUser(final String email, final String operation, final String destinationId) {
        final ObjectNode record = Json.object("email", email, "name", "Live", "_retl_op", operation, "_retl_key", key(email), "_retl_version", "v1",
                "_retl_field_hashes", "{\"name\":\"h\"}");
        if (destinationId != null) {
            record.put("_retl_destination_id", destinationId);
        }
        return record + "\n";
    }

    @Test
    void usersMatchedByEmailCaseInsensitively() throws IOException {
        runner.setProperty(PutZendesk.USER_MATCH_FIELD, UserMatchField.EMAIL);
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        runner.removeProperty(AbstractPutDestination.SYNC_STATE_SERVICE);
        zendesk.seedUser(Json.object("name", "Existing", "email", "u-1@example.com"));
        runner.enqueue("{\"email\":\"U-1@Example.com\",\"name\":\"Renamed\"}\n{\"email\":\"new@example.com\",\"name\":\"New\"}\n");
        runner.run();
        assertEquals(2, outcomes(2).get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals("Renamed", zendesk.userByEmail("u-1@example.com").path("name").asText());
        assertEquals(2, zendesk.users().size());
    }

    @Test
    void organizationsAreUpsertedByExternalId() throws IOException {
        zendesk.seedOrganization(Json.object("name", "Acme", "external_id", "ORG-1"));
        runner.setProperty(PutZendesk.OBJECT_TYPE, ZendeskObjectType.ORGANIZATIONS);
        runner.setProperty(AbstractPutDestination.SYNC_ID, "orgs");
        runner.enqueue("""
                {"external_id":"org-1","name":"Acme Inc","tier":"gold","_retl_op":"changed","_retl_key":"[\\"ORG-1\\"]","_retl_version":"o1"}
                {"external_id":"ORG-2","name":"Beta","domain_names":"beta.com, beta.io","_retl_op":"added","_retl_key":"[\\"ORG-2\\"]","_retl_version":"o2"}
                {"external_id":"ORG-3","name":"Beta","_retl_op":"added","_retl_key":"[\\"ORG-3\\"]","_retl_version":"o3"}
                """);
        runner.run();
        final Map<Relationship, List<JsonNode>> out = outcomes(3);
        assertEquals(2, out.get(AbstractPutDestination.REL_SUCCESS).size());
        assertEquals("DuplicateValue", out.get(AbstractPutDestination.REL_FAILURE).getFirst().path("_retl_error_code").asText(), "names are unique");
        assertEquals("Acme Inc", zendesk.organizationByExternalId("ORG-1").path("name").asText());
        assertEquals("gold", zendesk.organizationByExternalId("ORG-1").path("organization_fields").path("tier").asText());
        assertEquals(2, zendesk.organizationByExternalId("ORG-2").path("domain_names").size());
        assertEquals(2, zendesk.organizations().size());
    }

    @Test
    void oauthBearerTokensAuthenticate() throws Exception {
        final StaticAccessTokenProvider tokens = new StaticAccessTokenProvider(() -> "oauth-xyz");
        runner.addControllerService("tokens", tokens);
        runner.enableControllerService(tokens);
        runner.setProperty(PutZendesk.AUTHENTICATION_METHOD, ZendeskAuthenticationMethod.OAUTH);
        runner.setProperty(PutZendesk.ACCESS_TOKEN_PROVIDER, "tokens");
        run(users(0, 3, "added"));
        assertEquals(3, outcomes(3).get(AbstractPutDestination.REL_SUCCESS).size());
    }

    @Test
    void verifyChecksCredentialsAndBulkImport() {
        final List<ConfigVerificationResult> ok = ((PutZendesk) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, ok.get(0).getOutcome());
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, ok.get(1).getOutcome());

        zendesk.bulkImportEnabled(false);
        final List<ConfigVerificationResult> disabled = ((PutZendesk) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, disabled.get(1).getOutcome());
        assertTrue(disabled.get(1).getExplanation().contains("bulk user import"));

        runner.setProperty(PutZendesk.API_TOKEN, "wrong");
        final List<ConfigVerificationResult> refused = ((PutZendesk) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, refused.get(0).getOutcome());
        assertFalse(refused.get(0).getExplanation().contains("wrong"), "never shows the secret");
        assertEquals(ConfigVerificationResult.Outcome.SKIPPED, refused.get(1).getOutcome());
    }

    @Test
    void aSubdomainOrABaseUrlIsRequired() {
        runner.removeProperty(PutZendesk.BASE_URL);
        runner.assertNotValid();
        runner.setProperty(PutZendesk.SUBDOMAIN, "acme");
        runner.assertValid();
        runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "31");
        runner.assertNotValid();
    }

    // ---------------------------------------------------------------- helpers

    private void run(final String input) {
        runner.enqueue(input.getBytes(StandardCharsets.UTF_8));
        runner.run();
    }

    /**
     * Records as DiffRecords emits them: model fields plus the _retl_ fields.
     */
    static String users(final int from, final int count, final String operation) {
        final StringBuilder lines = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            final String externalId = "U-" + i;
            lines.append(Json.object("external_id", externalId, "name", "User " + i, "email", "u-" + i + "@example.com", "plan", "gold",
                    "_retl_op", operation, "_retl_key", key(externalId), "_retl_version", "v1-" + externalId,
                    "_retl_field_hashes", "{\"name\":\"h\"}")).append('\n');
        }
        return lines.toString();
    }

    static String key(final String externalId) {
        return "[\"" + externalId + "\"]";
    }

    /**
     * @return the records per relationship, after asserting conservation (records in = records out)
     */
    private Map<Relationship, List<JsonNode>> outcomes(final int expectedTotal) throws IOException {
        final Map<Relationship, List<JsonNode>> byRelationship = new HashMap<>();
        int total = 0;
        for (final Relationship relationship : OUTCOMES) {
            final List<JsonNode> records = new ArrayList<>();
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                for (final String line : flowFile.getContent().split("\n")) {
                    if (!line.isBlank()) {
                        records.add(MAPPER.readTree(line));
                    }
                }
                assertNotNull(flowFile.getAttribute("record.count"));
            }
            total += records.size();
            byRelationship.put(relationship, records);
        }
        assertEquals(expectedTotal, total, "conservation: every input record leaves through exactly one relationship");
        return byRelationship;
    }

    private static JsonNode find(final List<JsonNode> records, final String externalId) {
        for (final JsonNode record : records) {
            if (externalId.equals(record.path("external_id").asText())) {
                return record;
            }
        }
        throw new AssertionError("No record " + externalId);
    }
}
