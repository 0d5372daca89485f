package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.state.RowKey;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Builds ResolveExternalIds runners with the JSON-lines reader and writer and a real EmbeddedSyncStateService.
 */
final class ResolveTestSupport {

    static final String SYNC_ID = "sync-1";
    static final String STATE_SERVICE_ID = "state";

    private ResolveTestSupport() {
    }

    static TestRunner runner(final Path stateDirectory) throws InitializationException {
        final TestRunner runner = TestRunners.newTestRunner(ResolveExternalIds.class);
        JsonLines.register(runner, ResolveExternalIds.RECORD_READER.getName(), ResolveExternalIds.RECORD_WRITER.getName());
        final EmbeddedSyncStateService state = new EmbeddedSyncStateService();
        runner.addControllerService(STATE_SERVICE_ID, state);
        runner.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        runner.enableControllerService(state);
        runner.setProperty(ResolveExternalIds.SYNC_STATE_SERVICE, STATE_SERVICE_ID);
        runner.setProperty(ResolveExternalIds.SYNC_ID, SYNC_ID);
        return runner;
    }

    static EmbeddedSyncStateService state(final TestRunner runner) {
        return (EmbeddedSyncStateService) runner.getControllerService(STATE_SERVICE_ID);
    }

    static String key(final String value) {
        return RowKey.of(List.of(value)).canonical();
    }

    /**
     * @return one JSON line with a _retl_key and a match field
     */
    static String line(final String rowKey, final String matchField, final String matchValue) {
        final String match = matchValue == null ? "null" : "\"" + matchValue + "\"";
        return "{\"" + SyncRecordFields.KEY + "\":" + quoteJson(key(rowKey)) + ",\"" + matchField + "\":" + match + ",\"name\":\"n-" + rowKey + "\"}\n";
    }

    private static String quoteJson(final String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Asserts records in = records out and returns the output record count per relationship.
     */
    static Map<String, Integer> assertConserved(final TestRunner runner, final int recordsIn) {
        final Map<String, Integer> counts = new TreeMap<>();
        int out = 0;
        for (final String relationship : List.of("matched", "unmatched", "ambiguous", "failure", "retry")) {
            int count = 0;
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                count += Integer.parseInt(flowFile.getAttribute("record.count"));
            }
            counts.put(relationship, count);
            out += count;
        }
        assertEquals(recordsIn, out, "records in = records out: " + counts);
        return counts;
    }
}
