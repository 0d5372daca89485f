package dev.nifireverseetl.processors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.services.StaticAccessTokenProvider;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PutHubSpotTest {

    private HubSpotEmulator emulator;
    private TestRunner runner;

    @TempDir
    private Path stateDirectory;

    @BeforeEach
    void setUp() {
        emulator = HubSpotTestSupport.emulator();
        emulator.rateLimit(190, 1_000_000);
        emulator.server().recording(true);
        runner = HubSpotTestSupport.runner(emulator);
    }

    @AfterEach
    void tearDown() {
        emulator.close();
    }

    private static List<String> contacts(final int count, final String prefix) {
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(HubSpotTestSupport.contactLine(prefix + i + "@example.com", "Name" + i));
        }
        return lines;
    }

    @Test
    void upsertsInBatchesOfHundredAndRoutesEveryRecordWithItsId() {
        runner.enqueue(HubSpotTestSupport.lines(contacts(250, "ann")));
        runner.run();

        final List<JsonNode> successes = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS);
        assertEquals(250, successes.size());
        HubSpotTestSupport.assertConservation(runner, 250);
        assertEquals(250, emulator.records("contacts").size());
        for (final JsonNode success : successes) {
            final Map<String, String> stored = emulator.records("contacts").stream()
                    .filter(record -> record.get("email").equals(success.path("email").asText())).findFirst().orElseThrow();
            assertEquals(stored.get("hs_object_id"), success.path(SyncRecordFields.DESTINATION_ID).asText());
            assertEquals("true", success.path(SyncRecordFields.CREATED).asText());
        }
        final List<RecordedExchange> upserts = emulator.server().recordedFor("POST", "/crm/v3/objects/contacts/batch/upsert");
        assertEquals(3, upserts.size());
        final MockFlowFile success = runner.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS).getFirst();
        success.assertAttributeEquals("record.count", "250");
        success.assertAttributeEquals("retl.success.count", "250");
        success.assertAttributeEquals("retl.request.count", "3");
        final List<ProvenanceEventRecord> sends = runner.getProvenanceEvents().stream().filter(event -> event.getEventType() == ProvenanceEventType.SEND).toList();
        assertEquals(1, sends.size());
        assertEquals(emulator.baseUrl() + "/crm/v3/objects/contacts/batch/upsert", sends.getFirst().getTransitUri());
        assertFalse(sends.getFirst().getTransitUri().contains(HubSpotTestSupport.TOKEN));
        assertEquals(250, runner.getCounterValue("Records Succeeded"));

        runner.clearTransferState();
        runner.enqueue(HubSpotTestSupport.lines(List.of(HubSpotTestSupport.contactLine("ann0@example.com", "Changed"))));
        runner.run();
        assertEquals("false", HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).getFirst().path(SyncRecordFields.CREATED).asText());
        assertEquals(250, emulator.records("contacts").size());
    }

    @Test
    void isolatesTheOneInvalidRecordOfABatchAndWritesTheOthers() {
        final List<String> lines = contacts(100, "bob");
        lines.set(37, HubSpotTestSupport.contactLine("not-an-email", "Broken"));
        runner.enqueue(HubSpotTestSupport.lines(lines));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 100);
        assertEquals(99, emulator.records("contacts").size());
        assertEquals(99, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size());
        final List<JsonNode> failures = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE);
        assertEquals(1, failures.size());
        assertEquals("not-an-email", failures.getFirst().path("email").asText());
        assertEquals("INVALID_EMAIL", failures.getFirst().path(SyncRecordFields.ERROR_CODE).asText());
        assertTrue(failures.getFirst().path(SyncRecordFields.ERROR_MESSAGE).asText().contains("is invalid"));
        final MockFlowFile failure = runner.getFlowFilesForRelationship(AbstractPutDestination.REL_FAILURE).getFirst();
        failure.assertAttributeEquals("retl.error.code", "INVALID_EMAIL");
        assertFalse(failure.getAttribute("retl.error.message").contains("not-an-email"), "personal data must be redacted from attributes");
        assertFalse(runner.getLogger().getErrorMessages().isEmpty(), "a bulletin names HubSpot's error");
        assertFalse(runner.getLogger().getErrorMessages().getFirst().getMsg().contains("not-an-email"));
    }

    @Test
    void dryRunEmitsTheExactPayloadsAndSendsNothing() throws Exception {
        runner.setProperty(AbstractPutDestination.DRY_RUN, "true");
        runner.enqueue(HubSpotTestSupport.lines(contacts(150, "dry")));
        runner.run();

        assertEquals(0, emulator.server().metrics().requests());
        HubSpotTestSupport.assertConservation(runner, 150);
        final MockFlowFile dryRun = runner.getFlowFilesForRelationship(AbstractPutDestination.REL_DRY_RUN).getFirst();
        dryRun.assertAttributeEquals("retl.dry.run.requests", "2");
        final String[] requests = dryRun.getContent().split("\n");
        assertEquals(2, requests.length);
        final JsonNode first = HubSpotTestSupport.MAPPER.readTree(requests[0]);
        assertEquals("POST", first.path("method").asText());
        assertTrue(first.path("url").asText().endsWith("/crm/v3/objects/contacts/batch/upsert"));
        final JsonNode input = first.path("body").path("inputs").get(0);
        assertEquals("email", input.path("idProperty").asText());
        assertTrue(input.path("id").asText().startsWith("dry"));
        assertFalse(dryRun.getContent().contains(HubSpotTestSupport.TOKEN));
    }

    @Test
    void convertsValuesToWhatHubSpotTakes() {
        runner.setProperty(AbstractPutDestination.NULL_VALUES, "clear field");
        runner.enqueue("{\"email\":\"Conv@Example.com\",\"birthday\":\"1990-03-07\",\"opt_in\":true,\"score\":17.50,\"last_seen\":\"2026-01-05T10:00:00Z\","
                + "\"interests\":[\"chocolate\",\"vanilla\"],\"lastname\":null}\n");
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 1);
        assertEquals(1, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size(), () -> HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE).toString());
        final JsonNode properties = upsertInputs().getFirst().path("properties");
        assertEquals("636768000000", properties.path("birthday").asText());
        assertEquals("true", properties.path("opt_in").asText());
        assertEquals("17.5", properties.path("score").asText());
        assertEquals("1767607200000", properties.path("last_seen").asText());
        assertEquals("chocolate;vanilla", properties.path("interests").asText());
        assertEquals("", properties.path("lastname").asText());
        assertTrue(properties.path("lastname").isTextual());
        assertEquals("conv@example.com", emulator.records("contacts").getFirst().get("email"));
    }

    @Test
    void skipsNullsByDefaultAndMapsFieldNames() {
        runner.setProperty(AbstractPutDestination.FIELD_MAPPING, "given_name=firstname");
        runner.enqueue("{\"email\":\"map@example.com\",\"given_name\":\"Mia\",\"lastname\":null}\n");
        runner.run();

        final JsonNode properties = upsertInputs().getFirst().path("properties");
        assertEquals("Mia", properties.path("firstname").asText());
        assertFalse(properties.has("lastname"));
        assertFalse(properties.has("given_name"));
    }

    @Test
    void sendsOnlyChangedFieldsAndNeverSyncFields() {
        runner.enqueue("{\"email\":\"chg@example.com\",\"firstname\":\"Cy\",\"lastname\":\"Old\",\"_retl_op\":\"changed\",\"_retl_key\":\"[\\\"chg@example.com\\\"]\","
                + "\"_retl_version\":\"v2\",\"_retl_changed_fields\":\"[\\\"firstname\\\"]\"}\n");
        runner.run();

        final JsonNode properties = upsertInputs().getFirst().path("properties");
        assertEquals("Cy", properties.path("firstname").asText());
        assertFalse(properties.has("lastname"));
        properties.fieldNames().forEachRemaining(name -> assertFalse(name.startsWith("_retl_")));
        HubSpotTestSupport.assertConservation(runner, 1);
    }

    @Test
    void skipsAcceptedReplaysAndSupersededVersionsUsingTheState() {
        final EmbeddedSyncStateService state = HubSpotTestSupport.stateService(runner, stateDirectory);
        try (SyncRun run = state.beginRun("contacts-sync")) {
            run.lookupAndMarkSeen(List.of("[\"old@example.com\"]", "[\"done@example.com\"]", "[\"new@example.com\"]"));
            run.recordProposed(Map.of("[\"old@example.com\"]", "v3", "[\"done@example.com\"]", "v1", "[\"new@example.com\"]", "v1"));
            run.abort();
        }
        state.recordAccepted("contacts-sync", List.of(new Acceptance("[\"done@example.com\"]", "v1", Map.of(), "999", true)));
        runner.enqueue(String.join("\n",
                syncLine("old@example.com", "added", "v2"),
                syncLine("done@example.com", "added", "v1"),
                syncLine("new@example.com", "added", "v1")) + "\n");
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 3);
        final List<JsonNode> superseded = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUPERSEDED);
        assertEquals(1, superseded.size());
        assertEquals("old@example.com", superseded.getFirst().path("email").asText());
        final List<JsonNode> successes = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS);
        assertEquals(2, successes.size());
        final JsonNode replay = successes.stream().filter(record -> record.path("email").asText().equals("done@example.com")).findFirst().orElseThrow();
        assertEquals("999", replay.path(SyncRecordFields.DESTINATION_ID).asText());
        assertEquals(1, upsertInputs().size(), "only the current, not yet accepted version is sent");
        assertEquals("new@example.com", upsertInputs().getFirst().path("id").asText());
        assertEquals("v1", state.getStates("contacts-sync", List.of("[\"new@example.com\"]")).get("[\"new@example.com\"]").acceptedVersion());
        assertNull(state.getStates("contacts-sync", List.of("[\"old@example.com\"]")).get("[\"old@example.com\"]").acceptedVersion());
    }

    private static String syncLine(final String email, final String operation, final String version) {
        return "{\"email\":\"" + email + "\",\"firstname\":\"X\",\"_retl_op\":\"" + operation + "\",\"_retl_key\":\"[\\\"" + email + "\\\"]\",\"_retl_version\":\""
                + version + "\",\"_retl_field_hashes\":\"{}\"}";
    }

    @Test
    void writesOnCreateOnlyFieldsOnlyWhenTheSyncCreatesTheRecord() {
        final EmbeddedSyncStateService state = HubSpotTestSupport.stateService(runner, stateDirectory);
        runner.setProperty(AbstractPutDestination.FIELD_OWNERSHIP, "lifecyclestage=on create only");
        state.recordAccepted("contacts-sync", List.of(new Acceptance("[\"known@example.com\"]", "v1", Map.of(), "123", true)));
        runner.enqueue(String.join("\n",
                "{\"email\":\"fresh@example.com\",\"lifecyclestage\":\"lead\",\"_retl_op\":\"added\",\"_retl_key\":\"[\\\"fresh@example.com\\\"]\",\"_retl_version\":\"v1\"}",
                "{\"email\":\"known@example.com\",\"lifecyclestage\":\"lead\",\"firstname\":\"K\",\"_retl_op\":\"changed\",\"_retl_key\":\"[\\\"known@example.com\\\"]\","
                        + "\"_retl_version\":\"v2\"}") + "\n");
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 2);
        final JsonNode fresh = input("fresh@example.com");
        final JsonNode known = input("known@example.com");
        assertEquals("lead", fresh.path("properties").path("lifecyclestage").asText());
        assertFalse(known.path("properties").has("lifecyclestage"));
        assertEquals("K", known.path("properties").path("firstname").asText());
    }

    @Test
    void writesIfEmptyFieldsOnlyWhereHubSpotHasNoValue() {
        runner.setProperty(AbstractPutDestination.FIELD_OWNERSHIP, "hubspot_owner_id=if empty");
        runner.enqueue("{\"email\":\"owned@example.com\",\"hubspot_owner_id\":\"other-writer\"}\n");
        runner.run();
        runner.clearTransferState();
        emulator.server().metrics().reset();

        runner.enqueue(String.join("\n",
                "{\"email\":\"owned@example.com\",\"hubspot_owner_id\":\"sync\",\"firstname\":\"O\"}",
                "{\"email\":\"empty@example.com\",\"hubspot_owner_id\":\"sync\"}") + "\n");
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 2);
        final Map<String, String> owned = emulator.records("contacts").stream().filter(record -> record.get("email").equals("owned@example.com")).findFirst().orElseThrow();
        final Map<String, String> empty = emulator.records("contacts").stream().filter(record -> record.get("email").equals("empty@example.com")).findFirst().orElseThrow();
        assertEquals("other-writer", owned.get("hubspot_owner_id"));
        assertEquals("O", owned.get("firstname"));
        assertEquals("sync", empty.get("hubspot_owner_id"));
        assertEquals(1, emulator.server().metrics().route("POST /crm/v3/objects/{objectType}/batch/read"), "one read per batch");
    }

    @Test
    void archivesRemovedRowsAndRecordsTheRemoval() {
        final EmbeddedSyncStateService state = HubSpotTestSupport.stateService(runner, stateDirectory);
        runner.enqueue(syncLine("gone@example.com", "added", "v1") + "\n");
        runner.run();
        assertEquals(1, emulator.records("contacts").size());
        runner.clearTransferState();

        runner.enqueue("{\"email\":\"gone@example.com\",\"_retl_op\":\"removed\",\"_retl_key\":\"[\\\"gone@example.com\\\"]\",\"_retl_version\":\"removed:r2\"}\n");
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 1);
        assertEquals(1, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(0, emulator.records("contacts").size());
        assertTrue(state.getStates("contacts-sync", List.of("[\"gone@example.com\"]")).isEmpty());
    }

    @Test
    void updateOnlyFailsMissingRecordsWithHubSpotsError() {
        runner.setProperty(AbstractPutDestination.SYNC_MODE, "update only");
        runner.enqueue(HubSpotTestSupport.lines(contacts(1, "exists")));
        runner.setProperty(AbstractPutDestination.SYNC_MODE, "upsert");
        runner.run();
        runner.clearTransferState();
        runner.setProperty(AbstractPutDestination.SYNC_MODE, "update only");
        runner.enqueue(HubSpotTestSupport.lines(List.of(HubSpotTestSupport.contactLine("exists0@example.com", "Upd"), HubSpotTestSupport.contactLine("missing@example.com", "M"))));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 2);
        assertEquals(1, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size());
        final List<JsonNode> failures = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE);
        assertEquals("missing@example.com", failures.getFirst().path("email").asText());
        assertEquals("OBJECT_NOT_FOUND", failures.getFirst().path(SyncRecordFields.ERROR_CODE).asText());
        assertEquals(1, emulator.records("contacts").size());
    }

    @Test
    void createOnlyReportsHubSpotsConflictForAnExistingContact() {
        runner.enqueue(HubSpotTestSupport.lines(contacts(1, "dup")));
        runner.run();
        runner.clearTransferState();
        runner.setProperty(AbstractPutDestination.SYNC_MODE, "create only");
        runner.enqueue(HubSpotTestSupport.lines(List.of(HubSpotTestSupport.contactLine("dup0@example.com", "Again"), HubSpotTestSupport.contactLine("brand@example.com", "B"))));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 2);
        final List<JsonNode> failures = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE);
        assertEquals(1, failures.size());
        assertEquals("CONFLICT", failures.getFirst().path(SyncRecordFields.ERROR_CODE).asText());
        assertEquals(2, emulator.records("contacts").size());
    }

    @Test
    void duplicateKeysInOneFlowFileKeepTheLastVersion() {
        runner.enqueue(HubSpotTestSupport.lines(List.of(HubSpotTestSupport.contactLine("twice@example.com", "First"), HubSpotTestSupport.contactLine("twice@example.com", "Last"))));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 2);
        assertEquals("Last", emulator.records("contacts").getFirst().get("firstname"));
        assertEquals("First", HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUPERSEDED).getFirst().path("firstname").asText());
    }

    @Test
    void recordsWithoutAMatchKeyFailWithAReason() {
        runner.enqueue("{\"firstname\":\"NoKey\"}\n" + HubSpotTestSupport.contactLine("ok@example.com", "Ok") + "\n");
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 2);
        assertEquals("MISSING_MATCH_KEY", HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE).getFirst().path(SyncRecordFields.ERROR_CODE).asText());
    }

    @Test
    void unknownPropertyFailsWithHubSpotsCode() {
        runner.enqueue("{\"email\":\"prop@example.com\",\"no_such_property\":\"x\"}\n");
        runner.run();

        assertEquals("PROPERTY_DOESNT_EXIST", HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE).getFirst().path(SyncRecordFields.ERROR_CODE).asText());
    }

    @Test
    void aRefusedTokenFailsTheRecordsWithHubSpotsMessage() {
        runner.setProperty(PutHubSpot.ACCESS_TOKEN, "pat-na1-wrong");
        runner.enqueue(HubSpotTestSupport.lines(contacts(3, "auth")));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 3);
        final List<JsonNode> failures = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_FAILURE);
        assertEquals(3, failures.size());
        assertEquals("INVALID_AUTHENTICATION", failures.getFirst().path(SyncRecordFields.ERROR_CODE).asText());
    }

    @Test
    void aSpentDailyLimitRoutesToRetryAndYieldsWithoutSpinning() {
        emulator.rateLimiter().dailyCounter(HubSpotTestSupport.TOKEN).setLimit(1);
        runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "1");
        runner.enqueue(HubSpotTestSupport.lines(contacts(150, "daily")));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 150);
        assertEquals(100, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(50, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_RETRY).size());
        assertEquals("DAILY_LIMIT", HubSpotTestSupport.records(runner, AbstractPutDestination.REL_RETRY).getFirst().path(SyncRecordFields.ERROR_CODE).asText());
        assertEquals(0, emulator.server().metrics().status(429), "X-HubSpot-RateLimit-Daily-Remaining: 0 was obeyed: no request was sent to be refused");
        runner.assertPenalizeCount(1);
        assertTrue(runner.isYieldCalled());
        final long requests = emulator.server().metrics().requests();

        runner.clearTransferState();
        runner.enqueue(HubSpotTestSupport.lines(contacts(5, "later")));
        runner.run();
        assertEquals(requests, emulator.server().metrics().requests(), "no request while the daily limit is spent");
        runner.assertQueueNotEmpty();
    }

    @Test
    void refreshesAnOAuthTokenOnceAfterA401() throws Exception {
        final AtomicInteger issued = new AtomicInteger();
        final StaticAccessTokenProvider provider = new StaticAccessTokenProvider(() -> issued.getAndIncrement() == 0 ? "expired-token" : HubSpotTestSupport.TOKEN);
        runner.addControllerService("oauth", provider);
        runner.enableControllerService(provider);
        runner.setProperty(PutHubSpot.AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.OAUTH2.getValue());
        runner.setProperty(PutHubSpot.ACCESS_TOKEN_PROVIDER, "oauth");
        runner.enqueue(HubSpotTestSupport.lines(contacts(10, "oauth")));
        runner.run();

        HubSpotTestSupport.assertConservation(runner, 10);
        assertEquals(10, HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size());
        assertEquals(1, provider.refreshCount());
        assertEquals(1, emulator.server().metrics().status(401));
    }

    @Test
    void verifyChecksTheTokenAndTheIdProperty() {
        final List<ConfigVerificationResult> good = ((PutHubSpot) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, good.getFirst().getOutcome());

        runner.setProperty(PutHubSpot.ID_PROPERTY, "firstname");
        final List<ConfigVerificationResult> notUnique = ((PutHubSpot) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, notUnique.getFirst().getOutcome());

        runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
        runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "2-999");
        final List<ConfigVerificationResult> unknownType = ((PutHubSpot) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, unknownType.getFirst().getOutcome());
        assertTrue(unknownType.getFirst().getExplanation().contains("404"));

        runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
        runner.setProperty(PutHubSpot.ACCESS_TOKEN, "pat-na1-wrong");
        final List<ConfigVerificationResult> badToken = ((PutHubSpot) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, badToken.getFirst().getOutcome());
        assertTrue(badToken.getFirst().getExplanation().contains("401"));
        assertFalse(badToken.getFirst().getExplanation().contains("pat-na1-wrong"));
    }

    private List<JsonNode> upsertInputs() {
        final List<JsonNode> inputs = new ArrayList<>();
        for (final RecordedExchange exchange : emulator.server().recordedFor("POST", "/crm/v3/objects/contacts/batch/upsert")) {
            try {
                HubSpotTestSupport.MAPPER.readTree(exchange.body()).path("inputs").forEach(inputs::add);
            } catch (final Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return inputs;
    }

    private JsonNode input(final String email) {
        return upsertInputs().stream().filter(input -> input.path("id").asText().equals(email)).findFirst().orElseThrow();
    }
}
