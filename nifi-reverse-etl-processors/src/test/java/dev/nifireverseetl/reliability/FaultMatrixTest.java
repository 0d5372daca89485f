package dev.nifireverseetl.reliability;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.zendesk.PutZendesk;
import dev.nifireverseetl.testsupport.emulator.Fault;
import dev.nifireverseetl.testsupport.emulator.zendesk.JobFate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destination faults with DiffRecords and the embedded state in the loop. After each scenario and re-running until
 * quiet: the destination holds exactly the model (nothing lost, no duplicates, no stale values), the state holds
 * exactly what the destination holds, and every run conserved its records (asserted by {@link SyncHarness}).
 */
class FaultMatrixTest {

    @TempDir
    Path stateDirectory;

    private SyncHarness harness(final DestinationKind destination) {
        return new SyncHarness(destination.create(), StateHost.of(StateHost.Kind.EMBEDDED, stateDirectory));
    }

    /**
     * 5xx bursts, timeouts, connection resets, malformed bodies, and responses lost after the destination processed the
     * request (reset or truncated after processing), on every route including authentication and job polling.
     */
    @ParameterizedTest
    @EnumSource(DestinationKind.class)
    void transientFaultsAndLostResponsesLoseAndDuplicateNothing(final DestinationKind destination) {
        try (SyncHarness sync = harness(destination)) {
            sync.putSettings(runner -> {
                runner.setProperty(AbstractPutDestination.MAX_RETRIES, "2");
                runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "250 ms");
            });
            sync.destination().server().faults()
                    .next(Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING, Fault.INTERNAL_SERVER_ERROR, Fault.BAD_GATEWAY, Fault.SERVICE_UNAVAILABLE)
                    .random(0.25, 11, Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.BAD_GATEWAY, Fault.TIMEOUT, Fault.CONNECTION_RESET,
                            Fault.MALFORMED_BODY, Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING);
            sync.seed(300);
            sync.runOnce();
            sync.mutate(new Random(3), 40, 15, 10);
            sync.runOnce();
            sync.destination().server().faults().clear();
            sync.runUntilQuiet(6);
            sync.assertConverged();
            assertTrue(sync.destination().server().metrics().faults(Fault.RESET_AFTER_PROCESSING) > 0);
            assertTrue(sync.destination().server().metrics().faults(Fault.TRUNCATED_AFTER_PROCESSING) > 0);
        }
    }

    /**
     * A short and a long 429 storm (other writers spending the account's limit) in the destination's own format.
     * Salesforce is not in this matrix: its REST API documents no 429 (over the allocation it answers 403
     * REQUEST_LIMIT_EXCEEDED, covered by {@link #salesforceSpentAllocationWaitsForTheNextAllocationAndLosesNothing()}).
     * Zendesk neither: its limit is per minute, so a faithful refusal carries a Retry-After of up to 60 s, which the
     * client rightly honours (PutZendeskTest covers its 429 path).
     * <p>
     * Rows leave the model during the long storm, also rows whose first version still waits in retry: such a stale
     * version must never re-create the row (PutHubSpotTest#neverSendsARetriedVersionWhoseRowLeftTheModel).
     */
    @ParameterizedTest
    @EnumSource(value = DestinationKind.class, names = {"HUBSPOT"})
    void rateLimitStormsShortAndLongAreWaitedOut(final DestinationKind destination) {
        try (SyncHarness sync = harness(destination)) {
            final StormRateLimiter storm = new StormRateLimiter(sync.destination().server().rateLimiter(), sync.destination().exhaustedLimiter());
            sync.destination().server().rateLimiter(storm);
            sync.seed(300);
            storm.storm(300);
            sync.runOnce();
            final long shortStormRefusals = storm.refusals();
            sync.mutate(new Random(4), 60, 10, 5);
            storm.storm(2_500);
            sync.runOnce();
            sync.runUntilQuiet(6);
            sync.assertConverged();
            assertTrue(shortStormRefusals > 0, "the short storm refused requests");
            assertTrue(storm.refusals() > shortStormRefusals, "the long storm refused requests");
            assertEquals(storm.refusals(), sync.destination().server().metrics().status(429), "every refusal was a 429");
        }
    }

    @Test
    void hubSpotDailyLimitSpentMidRunHoldsTheRestUntilTheNextBudget() {
        try (SyncHarness sync = harness(DestinationKind.HUBSPOT)) {
            final HubSpotDestination hubSpot = (HubSpotDestination) sync.destination();
            hubSpot.emulator().rateLimit(190, 3);
            sync.seed(600);
            final SyncHarness.RunReport spent = sync.runOnce();
            assertTrue(spent.success() > 0 && spent.success() < 600, "part of the run was written before the daily limit: " + spent);
            assertEquals(spent.success(), sync.state().current().getStatistics(SyncHarness.SYNC_ID).accepted(), "only accepted rows advanced the state");
            assertEquals(spent.success(), hubSpot.contents().size());

            hubSpot.emulator().rateLimit(190, 1_000_000);
            hubSpot.useToken("pat-na1-next-day");
            sync.newPutProcessor();
            sync.runUntilQuiet(6);
            sync.assertConverged();
        }
    }

    @Test
    void salesforceSpentAllocationWaitsForTheNextAllocationAndLosesNothing() {
        try (SyncHarness sync = harness(DestinationKind.SALESFORCE)) {
            final SalesforceDestination salesforce = (SalesforceDestination) sync.destination();
            sync.putSettings(runner -> runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "1"));
            salesforce.emulator().limits().dailyApiRequests(3);
            sync.seed(700);
            final SyncHarness.RunReport spent = sync.runOnce();
            assertTrue(spent.retry() > 0, "rows past the allocation wait in retry: " + spent);
            assertEquals(spent.success(), sync.state().current().getStatistics(SyncHarness.SYNC_ID).accepted(), "only accepted rows advanced the state");

            salesforce.emulator().limits().dailyApiRequests(1_000_000);
            salesforce.useConnectedApp("next-allocation-key", "next-allocation-secret");
            sync.newPutProcessor();
            sync.runUntilQuiet(6);
            sync.assertConverged();
        }
    }

    @Test
    void salesforceSessionExpiringMidRunIsRenewed() {
        try (SyncHarness sync = harness(DestinationKind.SALESFORCE)) {
            final SalesforceDestination salesforce = (SalesforceDestination) sync.destination();
            salesforce.emulator().auth().sessionTimeoutMillis(150);
            salesforce.emulator().limits().processingMillis(40);
            sync.putSettings(runner -> runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "1"));
            sync.seed(1000);
            sync.runOnce();
            sync.mutate(new Random(5), 300, 20, 10);
            sync.runUntilQuiet(6);
            sync.assertConverged();
            assertTrue(salesforce.emulator().auth().tokensIssued() >= 3, "sessions expired and were renewed: " + salesforce.emulator().auth().tokensIssued());
        }
    }

    @Test
    void zendeskJobsThatNeverFinishGoToRetryAndAreWrittenLater() {
        try (SyncHarness sync = harness(DestinationKind.ZENDESK)) {
            final ZendeskDestination zendesk = (ZendeskDestination) sync.destination();
            zendesk.emulator().defaultJobFate(JobFate.NEVER_COMPLETE).jobRetention(60_000);
            sync.putSettings(runner -> {
                runner.setProperty(PutZendesk.JOB_TIMEOUT, "300 ms");
                runner.setProperty(AbstractPutDestination.MAX_RETRIES, "0");
            });
            sync.seed(250);
            final SyncHarness.RunReport stuck = sync.runOnce();
            assertEquals(250, stuck.retry(), stuck.toString());
            assertEquals(0, sync.state().current().getStatistics(SyncHarness.SYNC_ID).accepted(), "a job that never finished accepted nothing");

            zendesk.emulator().defaultJobFate(JobFate.COMPLETE);
            sync.mutate(new Random(6), 20, 5, 5);
            sync.runUntilQuiet(6);
            sync.assertConverged();
        }
    }
}
