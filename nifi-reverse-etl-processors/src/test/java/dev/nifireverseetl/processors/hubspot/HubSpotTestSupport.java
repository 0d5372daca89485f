package dev.nifireverseetl.processors.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared set-up of PutHubSpot tests: an emulator, a runner wired to it with the JSON-lines reader and writer, and
 * helpers to read outcome records and check conservation.
 */
final class HubSpotTestSupport {

    static final String TOKEN = "pat-na1-test-token";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<Relationship> RECORD_RELATIONSHIPS = List.of(AbstractPutDestination.REL_SUCCESS, AbstractPutDestination.REL_FAILURE,
            AbstractPutDestination.REL_RETRY, AbstractPutDestination.REL_SUPERSEDED);

    private HubSpotTestSupport() {
    }

    static HubSpotEmulator emulator() {
        return new HubSpotEmulator().token(TOKEN).start();
    }

    static TestRunner runner(final HubSpotEmulator emulator) {
        final TestRunner runner = TestRunners.newTestRunner(PutHubSpot.class);
        JsonLines.register(runner, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
        runner.setProperty(PutHubSpot.BASE_URL, emulator.baseUrl());
        runner.setProperty(PutHubSpot.ACCESS_TOKEN, TOKEN);
        runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
        runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
        runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
        runner.setProperty(PutHubSpot.RATE_LIMIT, "190");
        runner.setProperty(AbstractPutDestination.RETRY_BACKOFF, "10 ms");
        runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "2 sec");
        return runner;
    }

    static EmbeddedSyncStateService stateService(final TestRunner runner, final Path directory) {
        final EmbeddedSyncStateService service = new EmbeddedSyncStateService();
        try {
            runner.addControllerService("state", service);
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.setProperty(service, EmbeddedSyncStateService.STATE_DIRECTORY, directory.toString());
        runner.enableControllerService(service);
        runner.setProperty(AbstractPutDestination.SYNC_STATE_SERVICE, "state");
        runner.setProperty(AbstractPutDestination.SYNC_ID, "contacts-sync");
        return service;
    }

    /**
     * @return the records of every FlowFile routed to the relationship, parsed
     */
    static List<JsonNode> records(final TestRunner runner, final Relationship relationship) {
        final List<JsonNode> records = new ArrayList<>();
        for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
            for (final String line : flowFile.getContent().split("\n")) {
                if (!line.isBlank()) {
                    try {
                        records.add(MAPPER.readTree(line));
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return records;
    }

    /**
     * Asserts records in = records out across success, failure, retry, superseded (and dry run).
     */
    static void assertConservation(final TestRunner runner, final long recordsIn) {
        long out = 0;
        for (final Relationship relationship : RECORD_RELATIONSHIPS) {
            out += records(runner, relationship).size();
        }
        for (final MockFlowFile dryRun : runner.getFlowFilesForRelationship(AbstractPutDestination.REL_DRY_RUN)) {
            out += Long.parseLong(dryRun.getAttribute("retl.dry.run.records"));
        }
        assertEquals(recordsIn, out, "records in must equal records out");
    }

    static String contactLine(final String email, final String firstname) {
        return "{\"email\":\"" + email + "\",\"firstname\":\"" + firstname + "\"}";
    }

    static String lines(final List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
