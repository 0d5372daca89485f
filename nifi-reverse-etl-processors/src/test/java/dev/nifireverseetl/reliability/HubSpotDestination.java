package dev.nifireverseetl.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotRateLimiter;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * HubSpot contacts upserted by their unique e-mail property (batch/upsert with idProperty=email); removals archive.
 */
final class HubSpotDestination implements SyncDestination {

    static final String TOKEN = "pat-na1-reliability";

    private final HubSpotEmulator emulator;
    private volatile String token = TOKEN;

    HubSpotDestination() {
        emulator = new HubSpotEmulator().token(TOKEN).start();
        emulator.rateLimit(190, 1_000_000);
    }

    HubSpotEmulator emulator() {
        return emulator;
    }

    /**
     * Switches the runners created from now on to another (newly issued) private app token.
     */
    void useToken(final String newToken) {
        emulator.token(newToken);
        token = newToken;
    }

    @Override
    public String name() {
        return "HubSpot";
    }

    @Override
    public EmulatorServer server() {
        return emulator.server();
    }

    @Override
    public TestRunner newPutRunner() {
        final TestRunner runner = TestRunners.newTestRunner(PutHubSpot.class);
        JsonLines.register(runner, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
        runner.setProperty(PutHubSpot.BASE_URL, emulator.baseUrl());
        runner.setProperty(PutHubSpot.ACCESS_TOKEN, token);
        runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
        runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        runner.setProperty(PutHubSpot.RATE_LIMIT, "190");
        return runner;
    }

    @Override
    public String keyField() {
        return "email";
    }

    @Override
    public ObjectNode record(final ModelRow row) {
        return Json.object("email", row.email(), "firstname", row.first(), "lastname", row.last());
    }

    @Override
    public Map<String, String> expected(final JsonNode record) {
        return Map.of("firstname", record.path("firstname").asText(), "lastname", record.path("lastname").asText());
    }

    @Override
    public Map<String, Map<String, String>> contents() {
        final Map<String, Map<String, String>> contents = new TreeMap<>();
        for (final Map<String, String> record : emulator.records("contacts")) {
            final Map<String, String> previous = contents.put(record.get("email"), Map.of("firstname", record.getOrDefault("firstname", ""),
                    "lastname", record.getOrDefault("lastname", "")));
            assertNull(previous, "two HubSpot contacts with the e-mail " + record.get("email"));
        }
        return contents;
    }

    @Override
    public Map<String, String> destinationIds() {
        final Map<String, String> ids = new TreeMap<>();
        for (final Map<String, String> record : emulator.records("contacts")) {
            ids.put(record.get("email"), record.get("hs_object_id"));
        }
        return ids;
    }

    @Override
    public RateLimiter exhaustedLimiter() {
        return new HubSpotRateLimiter(1, 1_000_000_000L);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
