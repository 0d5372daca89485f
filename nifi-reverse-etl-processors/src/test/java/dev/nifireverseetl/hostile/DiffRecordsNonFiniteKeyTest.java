package dev.nifireverseetl.hostile;

import dev.nifireverseetl.processors.diff.DiffRecords;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key number out of the range of a double (JSON {@code 1e400} reads as Infinity) once crashed DiffRecords with a
 * NumberFormatException from onTrigger, leaving the snapshot in the queue. It is an invalid key: routed to failure with
 * its reason, the other rows diffed.
 */
class DiffRecordsNonFiniteKeyTest {

    @TempDir
    Path stateDirectory;

    @Test
    void aKeyOutOfDoubleRangeIsAnInvalidRowNotACrash() throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(DiffRecords.class);
        JsonLines.register(runner, DiffRecords.RECORD_READER.getName(), DiffRecords.RECORD_WRITER.getName());
        final EmbeddedSyncStateService state = new EmbeddedSyncStateService();
        runner.addControllerService("state", state);
        runner.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        runner.enableControllerService(state);
        runner.setProperty(DiffRecords.SYNC_STATE_SERVICE, "state");
        runner.setProperty(DiffRecords.SYNC_ID, "non-finite");
        runner.setProperty(DiffRecords.KEY_FIELDS, "id");
        runner.enqueue("{\"id\":1e400,\"n\":1}\n{\"id\":-1e400,\"n\":2}\n{\"id\":2,\"n\":3}\n");

        runner.run();

        assertEquals(0, runner.getQueueSize().getObjectCount());
        runner.assertTransferCount(DiffRecords.REL_ADDED, 1);
        runner.assertTransferCount(DiffRecords.REL_FAILURE, 1);
        final MockFlowFile failed = runner.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).getFirst();
        assertEquals(2, failed.getContent().lines().count());
        assertTrue(failed.getContent().contains("not a finite number"), failed.getContent());
        assertEquals(1, runner.getFlowFilesForRelationship(DiffRecords.REL_ADDED).getFirst().getContent().lines().count());
    }
}
