package dev.nifireverseetl.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.zendesk.PutZendesk;
import dev.nifireverseetl.processors.zendesk.UserRemovalAction;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;
import dev.nifireverseetl.testsupport.emulator.zendesk.ZendeskEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Zendesk users written with create_or_update_many matched by external_id (background jobs, polled); removals delete.
 */
final class ZendeskDestination implements SyncDestination {

    private static final String AGENT = "admin@acme.com";
    private static final String API_TOKEN = "tok-reliability";

    private final ZendeskEmulator emulator;

    ZendeskDestination() {
        emulator = new ZendeskEmulator().apiToken(AGENT, API_TOKEN).jobDuration(10, 40).plan(100_000).start();
    }

    ZendeskEmulator emulator() {
        return emulator;
    }

    @Override
    public String name() {
        return "Zendesk";
    }

    @Override
    public EmulatorServer server() {
        return emulator.server();
    }

    @Override
    public TestRunner newPutRunner() {
        final TestRunner runner = TestRunners.newTestRunner(PutZendesk.class);
        JsonLines.register(runner, "Record Reader", "Record Writer");
        runner.setProperty(PutZendesk.BASE_URL, emulator.baseUrl());
        runner.setProperty(PutZendesk.AGENT_EMAIL, AGENT);
        runner.setProperty(PutZendesk.API_TOKEN, API_TOKEN);
        runner.setProperty(PutZendesk.REQUESTS_PER_MINUTE, "100000");
        runner.setProperty(PutZendesk.JOB_POLL_INTERVAL, "20 ms");
        runner.setProperty(PutZendesk.MAX_JOB_POLL_INTERVAL, "100 ms");
        runner.setProperty(PutZendesk.USER_REMOVAL_ACTION, UserRemovalAction.DELETE);
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "external_id");
        return runner;
    }

    @Override
    public String keyField() {
        return "external_id";
    }

    @Override
    public ObjectNode record(final ModelRow row) {
        return Json.object("external_id", row.key(), "name", row.first() + " " + row.last(), "email", row.email());
    }

    @Override
    public Map<String, String> expected(final JsonNode record) {
        return Map.of("name", record.path("name").asText(), "email", record.path("email").asText());
    }

    @Override
    public Map<String, Map<String, String>> contents() {
        final Map<String, Map<String, String>> contents = new TreeMap<>();
        for (final ObjectNode user : emulator.users()) {
            final Map<String, String> previous = contents.put(user.path("external_id").asText(),
                    Map.of("name", user.path("name").asText(), "email", user.path("email").asText()));
            assertNull(previous, "two Zendesk users with the external_id " + user.path("external_id").asText());
        }
        return contents;
    }

    @Override
    public Map<String, String> destinationIds() {
        final Map<String, String> ids = new TreeMap<>();
        for (final ObjectNode user : emulator.users()) {
            ids.put(user.path("external_id").asText(), user.path("id").asText());
        }
        return ids;
    }

    @Override
    public RateLimiter exhaustedLimiter() {
        return new ZendeskEmulator().plan(1).server().rateLimiter();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
