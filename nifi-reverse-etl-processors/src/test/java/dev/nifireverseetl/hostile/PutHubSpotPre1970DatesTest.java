package dev.nifireverseetl.hostile;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A birthday before 1970 was sent as negative epoch milliseconds, which is not one of HubSpot's documented date forms
 * (epoch milliseconds at midnight UTC, or YYYY-MM-DD): every such contact went to failure with INVALID_DATE. Dates and
 * timestamps before 1970 now travel in their ISO form; later ones keep the epoch milliseconds.
 */
class PutHubSpotPre1970DatesTest {

    private static final String TOKEN = "pat-na1-pre-1970";

    @Test
    void datesAndTimestampsBefore1970AreAccepted() {
        try (HubSpotEmulator emulator = new HubSpotEmulator().token(TOKEN).start()) {
            final TestRunner runner = TestRunners.newTestRunner(PutHubSpot.class);
            JsonLines.register(runner, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
            runner.setProperty(PutHubSpot.BASE_URL, emulator.baseUrl());
            runner.setProperty(PutHubSpot.ACCESS_TOKEN, TOKEN);
            runner.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
            runner.setProperty(PutHubSpot.ID_PROPERTY, "email");
            runner.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "email");
            runner.enqueue("{\"email\":\"old@example.com\",\"birthday\":\"1901-02-03\",\"last_seen\":\"1969-07-20T20:17:00Z\"}\n"
                    + "{\"email\":\"new@example.com\",\"birthday\":\"2999-12-31\",\"last_seen\":\"2101-01-01T00:00:00Z\"}\n");

            runner.run();

            runner.assertAllFlowFilesTransferred(AbstractPutDestination.REL_SUCCESS, 1);
            assertEquals(2, runner.getFlowFilesForRelationship(AbstractPutDestination.REL_SUCCESS).getFirst().getContent().lines().count());
            final Map<String, String> old = emulator.records("contacts").stream().filter(record -> "old@example.com".equals(record.get("email"))).findFirst().orElseThrow();
            assertEquals("1901-02-03", old.get("birthday"));
        }
    }
}
