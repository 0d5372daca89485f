package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.hubspot.HubSpotAuthenticationStrategy;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationMethod;
import dev.nifireverseetl.processors.zendesk.ZendeskAuthenticationMethod;
import dev.nifireverseetl.testsupport.contract.PrismContract;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request ResolveExternalIds sends is replayed to Prism running the destination's description in shared/specs:
 * HubSpot batch/read (hubspot-crm-objects-minimal), Salesforce token, query and queryMore (salesforce-rest-minimal),
 * Zendesk show_many and users/search (zendesk-support-users-orgs-jobs). Zero violations. Skips locally without the prism
 * binary; fails in CI (CI set) without it.
 */
class ResolveExternalIdsContractTest {

    private static final String HUBSPOT_TOKEN = "pat-na1-contract";

    @TempDir
    Path stateDirectory;

    private static Path prism() {
        final Path binary = PrismContract.findBinary();
        if (PrismContract.required()) {
            assertNotNull(binary, "CI requires the prism binary (PRISM_BIN or .tools/prism)");
        }
        Assumptions.assumeTrue(binary != null, "prism is not installed (npm install --prefix .tools/prism @stoplight/prism-cli@5.14.2)");
        return binary;
    }

    private static void assertConforms(final Path binary, final String spec, final List<RecordedExchange> exchanges, final int minimum) {
        assertTrue(exchanges.size() >= minimum, "requests recorded: " + exchanges.size());
        final List<String> violations = new ArrayList<>();
        try (PrismContract prism = PrismContract.start(binary, PrismContract.spec(spec))) {
            for (final RecordedExchange exchange : exchanges) {
                for (final String violation : prism.violations(exchange)) {
                    violations.add(exchange.method() + " " + exchange.path() + ": " + violation);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void hubSpotBatchReadConformsToTheDescription() throws Exception {
        final Path binary = prism();
        final List<RecordedExchange> exchanges;
        try (HubSpotEmulator hubspot = new HubSpotEmulator().token(HUBSPOT_TOKEN).start()) {
            final HttpResponse<String> seeded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/batch/upsert"))
                    .header("Authorization", "Bearer " + HUBSPOT_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"c1@example.com\",\"properties\":{\"firstname\":\"C\"}}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, seeded.statusCode(), seeded.body());
            hubspot.server().recording(true);
            final TestRunner runner = ResolveTestSupport.runner(stateDirectory);
            runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.HUBSPOT.getValue());
            runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "contacts");
            runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "email");
            runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
            runner.setProperty(ResolveExternalIds.BASE_URL, hubspot.baseUrl());
            runner.setProperty(ResolveExternalIds.HUBSPOT_AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.ACCESS_TOKEN.getValue());
            runner.setProperty(ResolveExternalIds.HUBSPOT_ACCESS_TOKEN, HUBSPOT_TOKEN);
            final StringBuilder input = new StringBuilder();
            for (int i = 0; i < 120; i++) {
                input.append(ResolveTestSupport.line("row-" + i, "email", "c" + i + "@example.com"));
            }
            runner.enqueue(input.toString());
            runner.run();
            assertEquals(1, ResolveTestSupport.assertConserved(runner, 120).get("matched"));
            exchanges = hubspot.server().recordedExchanges();
        }
        assertConforms(binary, "hubspot-crm-objects-minimal.openapi.json", exchanges, 2);
    }

    @Test
    void salesforceTokenQueryAndQueryMoreConformToTheDescription() throws Exception {
        final Path binary = prism();
        final List<RecordedExchange> exchanges;
        try (SalesforceEmulator salesforce = SalesforceEmulator.start()) {
            final List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 2001; i++) {
                records.add(Map.of("Email", "many@example.com"));
            }
            records.add(Map.of("Email", "o'neil@example.com", "Warehouse_Id__c", "W-1"));
            new SalesforceSeeder(salesforce).contacts(records);
            salesforce.server().recording(true);
            final TestRunner runner = ResolveTestSupport.runner(stateDirectory);
            runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.SALESFORCE.getValue());
            runner.setProperty(ResolveExternalIds.SALESFORCE_AUTHENTICATION_METHOD, SalesforceAuthenticationMethod.CLIENT_CREDENTIALS.getValue());
            runner.setProperty(ResolveExternalIds.SALESFORCE_LOGIN_URL, salesforce.baseUrl());
            runner.setProperty(ResolveExternalIds.SALESFORCE_CONSUMER_KEY, salesforce.auth().consumerKey());
            runner.setProperty(ResolveExternalIds.SALESFORCE_CONSUMER_SECRET, salesforce.auth().consumerSecret());
            runner.setProperty(ResolveExternalIds.SALESFORCE_SOBJECT, "Contact");
            runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "Email");
            runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
            runner.enqueue(ResolveTestSupport.line("row-1", "email", "many@example.com") + ResolveTestSupport.line("row-2", "email", "o'neil@example.com")
                    + ResolveTestSupport.line("row-3", "email", "nobody@example.com"));
            runner.run();
            final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 3);
            assertEquals(1, counts.get("ambiguous"));
            assertEquals(1, counts.get("matched"));
            exchanges = salesforce.server().recordedExchanges();
        }
        assertTrue(exchanges.stream().anyMatch(exchange -> exchange.path().contains("/query/")), "a nextRecordsUrl page was fetched");
        assertConforms(binary, "salesforce-rest-minimal.openapi.json", exchanges, 3);
    }

    @Test
    void zendeskShowManyAndSearchConformToTheDescription() throws Exception {
        final Path binary = prism();
        final List<RecordedExchange> exchanges;
        try (ZendeskEmulator zendesk = new ZendeskEmulator().start().apiToken("agent@example.com", "zendesk-token").plan(700)) {
            zendesk.seedUser(Json.object("name", "Ann", "external_id", "W-1", "email", "ann@example.com"));
            zendesk.server().recording(true);
            final TestRunner runner = ResolveTestSupport.runner(stateDirectory);
            runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.ZENDESK.getValue());
            runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "users");
            runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "external_id");
            runner.setProperty(ResolveExternalIds.MATCH_FIELD, "warehouse_id");
            runner.setProperty(ResolveExternalIds.BASE_URL, zendesk.baseUrl());
            runner.setProperty(ResolveExternalIds.ZENDESK_AUTHENTICATION_METHOD, ZendeskAuthenticationMethod.API_TOKEN.getValue());
            runner.setProperty(ResolveExternalIds.ZENDESK_AGENT_EMAIL, "agent@example.com");
            runner.setProperty(ResolveExternalIds.ZENDESK_API_TOKEN, "zendesk-token");
            // a comma cannot travel in show_many's list: that value is looked up alone through search?external_id=
            runner.enqueue(ResolveTestSupport.line("row-1", "warehouse_id", "W-1") + ResolveTestSupport.line("row-2", "warehouse_id", "W,2"));
            runner.run();
            ResolveTestSupport.assertConserved(runner, 2);
            runner.clearTransferState();
            runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "email");
            runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
            runner.enqueue(ResolveTestSupport.line("row-3", "email", "ann@example.com"));
            runner.run();
            assertEquals(1, ResolveTestSupport.assertConserved(runner, 1).get("matched"));
            exchanges = zendesk.server().recordedExchanges();
        }
        assertConforms(binary, "zendesk-support-users-orgs-jobs.openapi.json", exchanges, 3);
    }
}
