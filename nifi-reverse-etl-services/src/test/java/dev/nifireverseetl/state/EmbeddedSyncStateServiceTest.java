package dev.nifireverseetl.state;

import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.util.MockConfigurationContext;
import org.apache.nifi.util.MockComponentLog;
import org.apache.nifi.util.NoOpProcessor;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedSyncStateServiceTest {

    @TempDir
    Path directory;

    @Test
    void stateSurvivesARestartOfTheService() throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(NoOpProcessor.class);
        final EmbeddedSyncStateService service = new EmbeddedSyncStateService();
        runner.addControllerService("state", service);
        runner.setProperty(service, EmbeddedSyncStateService.STATE_DIRECTORY, directory.toString());
        runner.enableControllerService(service);
        service.recordAccepted("s", List.of(new Acceptance("[\"1\"]", "0123456789abcdef0123456789abcdef", Map.of("email", "00000000000000aa"), "hs-1", true)));
        final SyncRun open = service.beginRun("s");
        open.markSeen(List.of("[\"1\"]"));
        runner.disableControllerService(service);
        assertTrue(Files.exists(directory.resolve("sync-state.mv.db")));

        runner.enableControllerService(service);
        final KeyState state = service.getStates("s", List.of("[\"1\"]")).get("[\"1\"]");
        assertEquals("0123456789abcdef0123456789abcdef", state.acceptedVersion());
        assertEquals(Map.of("email", "00000000000000aa"), state.acceptedFieldHashes());
        assertEquals("hs-1", state.destinationId());
        try (SyncRun run = service.beginRun("s")) {
            assertEquals(1, run.countUnseenAccepted(), "a run open before the restart left nothing behind");
        }
    }

    @Test
    void verifyOpensTheStoreAndCountsKeys() throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(NoOpProcessor.class);
        final EmbeddedSyncStateService service = new EmbeddedSyncStateService();
        runner.addControllerService("state", service);
        runner.setProperty(service, EmbeddedSyncStateService.STATE_DIRECTORY, directory.toString());
        runner.enableControllerService(service);
        service.recordAccepted("orders", List.of(new Acceptance("[\"1\"]", "v", Map.of(), null, true)));
        final List<ConfigVerificationResult> results = service.verify(
                new MockConfigurationContext(service, Map.of(EmbeddedSyncStateService.STATE_DIRECTORY, directory.toString()), null, Map.of()),
                new MockComponentLog("state", service), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.SUCCESSFUL, results.get(0).getOutcome());
        assertTrue(results.get(1).getExplanation().contains("orders: 1 keys, 1 accepted"), results.get(1).getExplanation());
        runner.disableControllerService(service);

        final Path blocked = Files.writeString(directory.resolve("not-a-directory"), "x");
        final List<ConfigVerificationResult> failed = service.verify(
                new MockConfigurationContext(service, Map.of(EmbeddedSyncStateService.STATE_DIRECTORY, blocked.toString()), null, Map.of()),
                new MockComponentLog("state", service), Map.of());
        assertEquals(ConfigVerificationResult.Outcome.FAILED, failed.get(0).getOutcome());
        assertEquals(ConfigVerificationResult.Outcome.SKIPPED, failed.get(1).getOutcome());
    }
}
