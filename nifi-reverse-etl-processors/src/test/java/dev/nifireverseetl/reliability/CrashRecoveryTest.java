package dev.nifireverseetl.reliability;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 4 (a crash anywhere loses nothing and duplicates nothing) for every destination on both state stores: the
 * process dies after the destination accepted a batch but before the state recorded it, in the middle of a FlowFile
 * (earlier batches recorded, the current one not, later ones never sent), and during the state commit (the embedded
 * store loses power half way; the database connection is killed inside the commit). Each time a new state service
 * instance is opened on the same directory or database and new processors replay the FlowFile. Afterwards, and after
 * re-running until quiet, the destination holds exactly the model and the state exactly what the destination holds.
 */
class CrashRecoveryTest {

    @TempDir
    Path stateDirectory;

    static Stream<Arguments> destinationsAndStores() {
        final List<Arguments> arguments = new ArrayList<>();
        for (final DestinationKind destination : DestinationKind.values()) {
            for (final StateHost.Kind store : StateHost.Kind.values()) {
                arguments.add(Arguments.of(destination, store));
            }
        }
        return arguments.stream();
    }

    private SyncHarness harness(final DestinationKind destination, final StateHost.Kind store) {
        return new SyncHarness(destination.create(), StateHost.of(store, stateDirectory))
                .putSettings(runner -> runner.setProperty(AbstractPutDestination.MAX_CONCURRENT_REQUESTS, "1"));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("destinationsAndStores")
    void crashAfterTheDestinationAcceptedABatchBeforeTheStateRecordedIt(final DestinationKind destination, final StateHost.Kind store) {
        try (SyncHarness sync = harness(destination, store)) {
            sync.seed(450);
            sync.state().faults().crashRecordAcceptedAfter(1, StateFaults.Crash.BEFORE_RECORDING);
            final SyncHarness.RunReport first = sync.runOnce();
            assertEquals(destination == DestinationKind.SALESFORCE_BULK ? 0 : 1, first.crashes(),
                    "in the middle of the FlowFile (the first batch recorded); a FlowFile written in one Bulk job records its state once");
            assertEquals(450, first.success(), "the replayed FlowFile succeeds whole: " + first);
            sync.assertConverged();

            sync.mutate(new Random(1), 30, 10, 5);
            sync.state().faults().crashRecordAcceptedAfter(0, StateFaults.Crash.BEFORE_RECORDING);
            final SyncHarness.RunReport second = sync.runOnce();
            assertEquals(1, second.crashes());
            sync.runUntilQuiet(6);
            sync.assertConverged();
            assertEquals(destination == DestinationKind.SALESFORCE_BULK ? 1 : 2, sync.state().restarts());
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("destinationsAndStores")
    void crashDuringTheStateCommit(final DestinationKind destination, final StateHost.Kind store) {
        try (SyncHarness sync = harness(destination, store)) {
            sync.seed(250);
            sync.runUntilQuiet(3);
            sync.mutate(new Random(2), 120, 20, 10);
            sync.state().faults().crashRecordAcceptedAfter(0, StateFaults.Crash.DURING_COMMIT);
            final SyncHarness.RunReport crashed = sync.runOnce();
            assertEquals(1, crashed.crashes());
            assertEquals(1, sync.state().faults().crashes());
            if (store == StateHost.Kind.JDBC) {
                assertEquals(1, sync.state().connections().kills(), "the database connection was killed inside the commit");
            }
            sync.runUntilQuiet(6);
            sync.assertConverged();
            assertTrue(sync.state().restarts() >= 1);
        }
    }
}
