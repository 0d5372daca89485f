package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.hubspot.HubSpotAuthenticationStrategy;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResolveExternalIdsHubSpotTest {

    private static final String TOKEN = "pat-na1-resolve";

    @TempDir
    Path stateDirectory;

    private HubSpotEmulator hubspot;
    private TestRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        hubspot = new HubSpotEmulator().token(TOKEN).start();
        runner = ResolveTestSupport.runner(stateDirectory);
        runner.setProperty(ResolveExternalIds.DESTINATION, ResolveDestination.HUBSPOT.getValue());
        runner.setProperty(ResolveExternalIds.OBJECT_TYPE, "contacts");
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "email");
        runner.setProperty(ResolveExternalIds.MATCH_FIELD, "email");
        runner.setProperty(ResolveExternalIds.BASE_URL, hubspot.baseUrl());
        runner.setProperty(ResolveExternalIds.HUBSPOT_AUTHENTICATION_STRATEGY, HubSpotAuthenticationStrategy.ACCESS_TOKEN.getValue());
        runner.setProperty(ResolveExternalIds.HUBSPOT_ACCESS_TOKEN, TOKEN);
    }

    @AfterEach
    void tearDown() {
        hubspot.close();
    }

    /**
     * Seeds contacts through the emulator's own batch/upsert (before any rate limit is set).
     */
    private void seedContacts(final int from, final int to) throws Exception {
        final HttpClient client = HttpClient.newHttpClient();
        for (int start = from; start < to; start += 100) {
            final StringBuilder inputs = new StringBuilder();
            for (int i = start; i < Math.min(to, start + 100); i++) {
                inputs.append(inputs.isEmpty() ? "" : ",").append("{\"idProperty\":\"email\",\"id\":\"c").append(i).append("@example.com\",\"properties\":{\"firstname\":\"C\"}}");
            }
            final HttpRequest request = HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/crm/v3/objects/contacts/batch/upsert"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[" + inputs + "]}")).build();
            final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        }
        hubspot.server().metrics().reset();
    }

    private String input(final int count) {
        final StringBuilder input = new StringBuilder();
        for (int i = 0; i < count; i++) {
            input.append(ResolveTestSupport.line("row-" + i, "email", "C" + i + "@Example.com"));
        }
        return input.toString();
    }

    @Test
    void matchesByEmailThroughBatchReadNeverSearch() throws Exception {
        seedContacts(0, 150);
        runner.enqueue(input(200));
        runner.run();
        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 200);
        assertEquals(150, counts.get("matched"));
        assertEquals(50, counts.get("unmatched"));
        assertEquals(2, hubspot.server().metrics().route("POST /crm/v3/objects/{objectType}/batch/read"));
        assertEquals(0, hubspot.server().metrics().route("POST /crm/v3/objects/{objectType}/search"));
        final String expectedId = hubspot.store("contacts").findByUnique("email", "c3@example.com").id();
        assertEquals(expectedId, ResolveTestSupport.state(runner).getDestinationIds(ResolveTestSupport.SYNC_ID, List.of(ResolveTestSupport.key("row-3")))
                .get(ResolveTestSupport.key("row-3")));

        hubspot.server().metrics().reset();
        runner.clearTransferState();
        runner.enqueue(input(150));
        runner.run();
        assertEquals(150, ResolveTestSupport.assertConserved(runner, 150).get("matched"));
        assertEquals(0, hubspot.server().metrics().requests(), "steady state: every id from the cache");
    }

    @Test
    void waitsOutRefusalsWhenTheConfiguredLimitIsTooHigh() throws Exception {
        seedContacts(0, 500);
        hubspot.rateLimit(3, 1_000_000);
        runner.setProperty(ResolveExternalIds.HUBSPOT_RATE_LIMIT, "100");
        // a token of its own: a fresh budget in this JVM (budgets are per base URL and token, and ports get reused), so the
        // processor starts from the too-high configured limit rather than from what another test's responses taught
        hubspot.token("pat-na1-too-high");
        runner.setProperty(ResolveExternalIds.HUBSPOT_ACCESS_TOKEN, "pat-na1-too-high");
        // another client of the account has just spent the window: the first lookups meet refusals, whatever the timing
        final HttpClient otherClient = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            final HttpResponse<String> spent = otherClient.send(HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/crm/v3/properties/contacts/email"))
                    .header("Authorization", "Bearer pat-na1-too-high").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, spent.statusCode(), spent.body());
        }
        runner.enqueue(input(500));
        runner.run();
        final Map<String, Integer> counts = ResolveTestSupport.assertConserved(runner, 500);
        assertEquals(500, counts.get("matched"), counts.toString());
        assertTrue(hubspot.server().metrics().status(429) > 0, "the emulator refused some lookups");
    }

    @Test
    void staysWithinTheSharedBudget() throws Exception {
        seedContacts(0, 400);
        hubspot.rateLimit(3, 1_000_000);
        runner.setProperty(ResolveExternalIds.HUBSPOT_RATE_LIMIT, "3");
        // another token: a budget of its own in this JVM, whatever other tests spent
        hubspot.token("pat-na1-budget");
        runner.setProperty(ResolveExternalIds.HUBSPOT_ACCESS_TOKEN, "pat-na1-budget");
        runner.enqueue(input(400));
        runner.run();
        assertEquals(400, ResolveTestSupport.assertConserved(runner, 400).get("matched"));
        // at equal limits the shared budget never sends a request the destination refuses
        assertEquals(0, hubspot.server().metrics().status(429), "refusals: " + hubspot.server().metrics().status(429));
        assertTrue(hubspot.server().metrics().requests() >= 4, "400 values need at least 4 lookups");
    }

    @Test
    void verifyChecksTokenAndUniqueProperty() {
        List<ConfigVerificationResult> results = ((ResolveExternalIds) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, results.getFirst().getOutcome(), results.getFirst().getExplanation());
        runner.setProperty(ResolveExternalIds.DESTINATION_MATCH_PROPERTY, "firstname");
        results = ((ResolveExternalIds) runner.getProcessor()).verify(runner.getProcessContext(), runner.getLogger(), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, results.getFirst().getOutcome());
    }
}
