package dev.nifireverseetl.processors.zendesk;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.engine.SyncMode;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.contract.PrismContract;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request PutZendesk sends (upserts, update-only lookups and updates, suspensions, organization lookups, creates
 * and updates, job polls, verification) is replayed to Prism running Zendesk's own OAS extract, which must report no
 * violation. Deletion (users/destroy_many) is not in the extract and is left out here.
 */
class PutZendeskContractTest {

    private static final String SPEC = "zendesk-support-users-orgs-jobs.openapi.json";

    @Test
    void everyRequestConformsToZendesksApiDescription() throws Exception {
        final Path prism = PrismContract.findBinary();
        if (prism == null) {
            Assumptions.assumeTrue(PrismContract.required(), "prism is not installed (it is required when CI is set)");
            throw new AssertionError("prism is required in CI but was not found");
        }
        final List<RecordedExchange> exchanges = new ArrayList<>();
        try (ZendeskEmulator zendesk = new ZendeskEmulator().apiToken("admin@acme.com", "tok").jobDuration(20, 60).plan(100_000)) {
            zendesk.server().recording(true);
            zendesk.start();
            final TestRunner users = runner(zendesk, ZendeskObjectType.USERS);
            users.enqueue(PutZendeskTest.users(0, 120, "added"));
            users.run();
            users.setProperty(AbstractPutDestination.SYNC_MODE, SyncMode.UPDATE_ONLY);
            users.enqueue("{\"external_id\":\"U-1\",\"name\":\"Renamed\",\"phone\":\"+16505551212\"}\n{\"external_id\":\"U-2\",\"tags\":[\"vip\"]}\n");
            users.run();
            users.enqueue(PutZendeskTest.users(0, 2, "removed"));
            users.run();
            ((PutZendesk) users.getProcessor()).verify(users.getProcessContext(), users.getLogger(), Map.of());
            assertTrue(zendesk.userByExternalId("U-0").path("suspended").asBoolean());

            zendesk.seedOrganization(Json.object("name", "Acme", "external_id", "ORG-1"));
            final TestRunner organizations = runner(zendesk, ZendeskObjectType.ORGANIZATIONS);
            organizations.enqueue("{\"external_id\":\"ORG-1\",\"notes\":\"n\"}\n{\"external_id\":\"ORG-2\",\"name\":\"Beta\",\"domain_names\":[\"beta.com\"]}\n");
            organizations.run();
            assertEquals(2, zendesk.organizations().size());
            exchanges.addAll(zendesk.server().recordedExchanges());
        }
        final Set<String> endpoints = new HashSet<>();
        final List<String> violations = new ArrayList<>();
        try (PrismContract contract = PrismContract.start(prism, PrismContract.spec(SPEC))) {
            for (final RecordedExchange exchange : exchanges) {
                final String path = exchange.path().replaceAll("\\?.*", "").replaceAll("job_statuses/[0-9a-f]+", "job_statuses/{id}");
                endpoints.add(exchange.method() + " " + path);
                for (final String violation : contract.violations(exchange)) {
                    violations.add(exchange.method() + " " + exchange.path() + ": " + violation);
                }
            }
        }
        assertEquals(List.of(), violations);
        assertTrue(endpoints.containsAll(Set.of("POST /api/v2/users/create_or_update_many", "GET /api/v2/job_statuses/show_many", "GET /api/v2/users/show_many",
                "PUT /api/v2/users/update_many", "GET /api/v2/users/me", "GET /api/v2/organizations/show_many", "POST /api/v2/organizations/create_many",
                "PUT /api/v2/organizations/update_many")), endpoints.toString());
    }

    private static TestRunner runner(final ZendeskEmulator zendesk, final ZendeskObjectType objectType) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(PutZendesk.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutZendesk.BASE_URL, zendesk.baseUrl());
        runner.setProperty(PutZendesk.AGENT_EMAIL, "admin@acme.com");
        runner.setProperty(PutZendesk.API_TOKEN, "tok");
        runner.setProperty(PutZendesk.OBJECT_TYPE, objectType);
        runner.setProperty(PutZendesk.REQUESTS_PER_MINUTE, "100000");
        runner.setProperty(PutZendesk.JOB_POLL_INTERVAL, "20 ms");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "external_id");
        final EmbeddedSyncStateService state = new EmbeddedSyncStateService();
        runner.addControllerService("state", state);
        runner.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, Files.createTempDirectory("zendesk-contract-state").toString());
        runner.enableControllerService(state);
        runner.setProperty(AbstractPutDestination.SYNC_STATE_SERVICE, "state");
        runner.setProperty(AbstractPutDestination.SYNC_ID, "contract");
        return runner;
    }
}
