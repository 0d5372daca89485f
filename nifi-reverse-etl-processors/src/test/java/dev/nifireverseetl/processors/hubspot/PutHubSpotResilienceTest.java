package dev.nifireverseetl.processors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.testsupport.emulator.Fault;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults and rate-limit storms: nothing is lost, nothing is duplicated, the emulator's final store equals the model.
 */
class PutHubSpotResilienceTest {

    private HubSpotEmulator emulator;
    private TestRunner runner;

    @BeforeEach
    void setUp() {
        emulator = HubSpotTestSupport.emulator();
        runner = HubSpotTestSupport.runner(emulator);
        runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "8");
        runner.setProperty(AbstractPutDestination.MAX_RETRIES, "10");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "500 ms");
    }

    @AfterEach
    void tearDown() {
        emulator.close();
    }

    private static Map<String, String> model(final int count, final String suffix) {
        final Map<String, String> model = new HashMap<>();
        for (int i = 0; i < count; i++) {
            model.put("user" + i + "@example.com", "Name" + i + suffix);
        }
        return model;
    }

    private void send(final Map<String, String> model) {
        final List<String> lines = new ArrayList<>();
        model.forEach((email, name) -> lines.add(HubSpotTestSupport.contactLine(email, name)));
        runner.enqueue(HubSpotTestSupport.lines(lines));
        runner.run();
        HubSpotTestSupport.assertConservation(runner, model.size());
    }

    /**
     * Retry FlowFiles go back in, as a flow would loop the retry relationship; bounded so the test cannot hang.
     */
    private void resendRetries() {
        for (int round = 0; round < 5 && !runner.getFlowFilesForRelationship(AbstractPutDestination.REL_RETRY).isEmpty(); round++) {
            final List<JsonNode> retry = HubSpotTestSupport.records(runner, AbstractPutDestination.REL_RETRY);
            runner.clearTransferState();
            final List<String> lines = new ArrayList<>();
            for (final JsonNode record : retry) {
                lines.add(HubSpotTestSupport.contactLine(record.path("email").asText(), record.path("firstname").asText()));
            }
            runner.enqueue(HubSpotTestSupport.lines(lines));
            runner.run();
        }
    }

    private void assertStoreEquals(final Map<String, String> model) {
        final List<Map<String, String>> records = emulator.records("contacts");
        assertEquals(model.size(), records.size(), "no record lost, none duplicated");
        for (final Map<String, String> record : records) {
            assertEquals(model.get(record.get("email")), record.get("firstname"), record.get("email"));
        }
    }

    @Test
    void survivesFaultsIncludingLostResponsesOfProcessedWrites() {
        emulator.rateLimit(190, 1_000_000);
        emulator.server().faults().next(Fault.RESET_AFTER_PROCESSING, Fault.TIMEOUT, Fault.TRUNCATED_AFTER_PROCESSING, Fault.CONNECTION_RESET,
                Fault.RESET_AFTER_PROCESSING, Fault.MALFORMED_BODY, Fault.SERVICE_UNAVAILABLE);
        emulator.server().faults().random(0.3, 11, Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.BAD_GATEWAY, Fault.TIMEOUT,
                Fault.CONNECTION_RESET, Fault.MALFORMED_BODY, Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING);
        final Map<String, String> model = model(1000, "");
        send(model);
        resendRetries();

        assertTrue(emulator.server().metrics().faults(Fault.RESET_AFTER_PROCESSING) > 0, "lost responses of processed writes were exercised");
        assertTrue(emulator.server().metrics().faults(Fault.TIMEOUT) > 0, "timeouts were exercised");
        assertStoreEquals(model);

        emulator.server().faults().clear();
        runner.clearTransferState();
        final Map<String, String> changed = model(1000, "-v2");
        emulator.server().faults().random(0.3, 12, Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING, Fault.SERVICE_UNAVAILABLE);
        send(changed);
        resendRetries();
        assertStoreEquals(changed);
    }

    @Test
    void aRateLimitStormCausedByAnotherWriterIsWaitedOutWithoutLosingRecords() throws Exception {
        emulator.rateLimit(30, 1_000_000);
        emulator.server().latency(20, 10);
        runner.setProperty(PutHubSpot.RATE_LIMIT, "30");
        final HttpClient client = HttpClient.newHttpClient();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/crm/v3/properties/contacts/email"))
                .header("Authorization", "Bearer " + HubSpotTestSupport.TOKEN).build();
        for (int i = 0; i < 30; i++) {
            assertEquals(200, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        final Map<String, String> model = model(1500, "");
        send(model);

        assertTrue(emulator.server().metrics().status(429) > 0, "another writer on the same token had spent the window, so HubSpot refused requests");
        assertEquals(model.size(), HubSpotTestSupport.records(runner, AbstractPutDestination.REL_SUCCESS).size());
        assertStoreEquals(model);
    }
}
