package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.zendesk.ZendeskAuthenticationMethod;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResolveExternalIdsZendeskTest {

    private static final String EMAIL = "agent@example.com";
    private static final String TOKEN = "zendesk-token";

    @TempDir
    Path stateDirectory;

    private ZendeskEmulator zendesk;
    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        zendesk = new ZendeskEmulator().start().apiToken(EMAIL, TOKEN).plan(700);
        runner = ResolveTestSupport.runner(stateDirectory);
        runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.ZENDESK.getValue());
        runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "users");
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "external_id");
        runner.setProperty(ResolveExternalIds.MATCH_FIELD, "warehouse_id");
        runner.setProperty(ResolveExternalIds.OUTPUT_FIELD, "zendesk_id");
        runner.setProperty(ResolveExternalIds.BASE_URL, zendesk.baseUrl());
        runner.setProperty(ResolveExternalIds.ZENDESK_AUTHENTICATION_METHOD, ZendeskAuthenticationMethod.API_TOKEN.getValue());
        runner.setProperty(ResolveExternalIds.ZENDESK_AGENT_EMAIL, EMAIL);
        runner.setProperty(ResolveExternalIds.ZENDESK_API_TOKEN, TOKEN);
        runner.setProperty(ResolveExternalIds.ZENDESK_REQUESTS_PER_MINUTE, "700");
    }

    @AfterEach
    void tearDown() {
        zendesk.close();
    }

    private long seedUser(final String externalId, final String email) {
        return zendesk.seedUser(Json.object("name", "User " + externalId, "external_id", externalId, "email", email)).get("id").asLong();
    }

    @Test
    void matchesByExternalIdInBatchesAndServesTheNextRunFromTheCacheWithoutRequests() {
        final StringBuilder input = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            if (i % 5 != 0) {
                seedUser("W-" + i, "user" + i + "@example.com");
            }
            // the warehouse sends lower case; Zendesk matches external_id case-insensitively
            input.append(ResolveTestSupport.line("row-" + i, "warehouse_id", "w-" + i));
        }
        input.append(ResolveTestSupport.line("row-no-value", "warehouse_id", null));
        runner.enqueue(input.toString());
        runner.run();

        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 251);
        assertEquals(200, counts.get("matched"));
        assertEquals(50, counts.get("unmatched"));
        assertEquals(1, counts.get("failure"));
        assertEquals(3, zendesk.server().metrics().route("GET /api/v2/users/show_many"), "250 values in groups of 100");
        final MockFlowFile matched = runner.getFlowFilesForRelationship("matched").getFirst();
        matched.assertAttributeEquals("resolve.matched.count", "200");
        matched.assertAttributeEquals("resolve.request.count", "3");
        final String firstMatched = matched.getContent().lines().filter(line -> line.contains("\"w-1\"")).findFirst().orElseThrow();
        final long expectedId = zendesk.userByExternalId("W-1").get("id").asLong();
        assertTrue(firstMatched.contains("\"" + SyncRecordFields.DESTINATION_ID + "\":\"" + expectedId + "\""), firstMatched);
        assertTrue(firstMatched.contains("\"zendesk_id\":\"" + expectedId + "\""), firstMatched);
        runner.getFlowFilesForRelationship("failure").getFirst().assertAttributeEquals("retl.error.code", "NO_MATCH_VALUE");
        assertEquals(String.valueOf(expectedId), ResolveTestSupport.state(runner).getDestinationIds(ResolveTestSupport.SYNC_ID,
                List.of(ResolveTestSupport.key("row-1"))).get(ResolveTestSupport.key("row-1")));
        assertFalse(runner.getProvenanceEvents().isEmpty());

        // steady state: the matched rows come again; every id comes from the cache, not one request is sent
        zendesk.server().metrics().reset();
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
        assertEquals(0, zendesk.server().metrics().requests(), "cache hits make no HTTP request");
        runner.getFlowFilesForRelationship("matched").getFirst().assertAttributeEquals("resolve.cache.hit.count", "200");
    }

    @Test
    void changedMatchValueStillFindsTheOldRecordThroughTheCache() {
        final long id = seedUser("W-1", "ann@example.com");
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1"));
        runner.run();
        zendesk.server().metrics().reset();
        runner.clearTransferState();

        // the warehouse changed the row's external id: the key is the same, so the cached id of the old record is used
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1-renamed"));
        runner.run();
        ResolveTestSupport.assertConserved(runner, 1);
        final MockFlowFile matched = runner.getFlowFilesForRelationship("matched").getFirst();
        assertTrue(matched.getContent().contains("\"" + SyncRecordFields.DESTINATION_ID + "\":\"" + id + "\""));
        assertEquals(0, zendesk.server().metrics().requests());
    }

    @Test
    void forgottenStaleIdIsLookedUpAgain() {
        final long id = seedUser("W-7", "bo@example.com");
        ResolveTestSupport.state(runner).putDestinationIds(ResolveTestSupport.SYNC_ID, Map.of(ResolveTestSupport.key("row-7"), "999999"));
        // what the Put processors do when a write by this cached id answers not-found
        ResolveTestSupport.state(runner).forgetDestinationIds(ResolveTestSupport.SYNC_ID, List.of(ResolveTestSupport.key("row-7")));
        runner.enqueue(ResolveTestSupport.line("row-7", "warehouse_id", "W-7"));
        runner.run();
        ResolveTestSupport.assertConserved(runner, 1);
        assertTrue(runner.getFlowFilesForRelationship("matched").getFirst().getContent().contains("\"" + id + "\""));
        assertEquals(1, zendesk.server().metrics().route("GET /api/v2/users/show_many"));
        assertEquals(String.valueOf(id), ResolveTestSupport.state(runner).getDestinationIds(ResolveTestSupport.SYNC_ID,
                List.of(ResolveTestSupport.key("row-7"))).get(ResolveTestSupport.key("row-7")));
    }

    @Test
    void looksUpUsersByEmailOneSearchPerAddress() {
        final long id = seedUser("W-1", "Ann@Example.com");
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "email");
        runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
        runner.enqueue(ResolveTestSupport.line("row-1", "email", "ann@example.com") + ResolveTestSupport.line("row-2", "email", "nobody@example.com"));
        runner.run();
        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 2);
        assertEquals(1, counts.get("matched"));
        assertEquals(1, counts.get("unmatched"));
        assertTrue(runner.getFlowFilesForRelationship("matched").getFirst().getContent().contains("\"" + id + "\""));
        assertEquals(2, zendesk.server().metrics().route("GET /api/v2/users/search"));
    }

    @Test
    void refusedCredentialsRouteToFailureAndVerifyExplains() {
        runner.setProperty(ResolveExternalIds.ZENDESK_API_TOKEN, "wrong");
        runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1"));
        runner.run();
        ResolveTestSupport.assertConserved(runner, 1);
        runner.assertTransferCount("failure", 1);
        final List<ConfigVerificationResult> results = ((ResolveExternalIds) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, results.getFirst().getOutcome());
        runner.setProperty(ResolveExternalIds.ZENDESK_API_TOKEN, TOKEN);
        final List<ConfigVerificationResult> ok = ((ResolveExternalIds) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, ok.getFirst().getOutcome(), ok.getFirst().getExplanation());
    }
}
