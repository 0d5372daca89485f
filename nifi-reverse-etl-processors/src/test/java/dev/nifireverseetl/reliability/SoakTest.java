package dev.nifireverseetl.reliability;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.testsupport.emulator.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak: many sync runs with random model changes, random destination faults and process crashes. Heap after
 * a GC and open file descriptors stay flat across runs, and the state never holds more keys than the model.
 */
class SoakTest {

    private static final int ROWS = 300;
    private static final int RUNS = 14;
    private static final long HEAP_TOLERANCE_BYTES = 48L * 1024 * 1024;
    private static final long FILE_TOLERANCE = 25;

    @TempDir
    Path stateDirectory;

    @Test
    void manyRunsWithRandomFaultsKeepHeapFilesAndStateFlat() {
        final Random random = new Random(20);
        try (SyncHarness sync = new SyncHarness(DestinationKind.HUBSPOT.create(), StateHost.of(StateHost.Kind.EMBEDDED, stateDirectory))) {
            sync.putSettings(runner -> {
                runner.setProperty(AbstractPutDestination.MAX_RETRIES, "1");
                runner.setProperty(AbstractPutDestination.READ_TIMEOUT, "250 ms");
            });
            sync.destination().server().faults().random(0.15, 21, Fault.INTERNAL_SERVER_ERROR, Fault.SERVICE_UNAVAILABLE, Fault.CONNECTION_RESET,
                    Fault.MALFORMED_BODY, Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING, Fault.TIMEOUT);
            sync.seed(ROWS);
            long baselineHeap = 0;
            long baselineFiles = 0;
            for (int run = 0; run < RUNS; run++) {
                sync.mutate(random, 40, 8, 8);
                if (run % 4 == 2) {
                    sync.state().faults().crashRecordAcceptedAfter(random.nextInt(2), StateFaults.Crash.BEFORE_RECORDING);
                }
                sync.runOnce();
                final long keys = sync.state().current().getStatistics(SyncHarness.SYNC_ID).keys();
                assertTrue(keys <= sync.model().size() + 8 + 8, "state keys " + keys + " beyond the model's " + sync.model().size() + " rows and this run's removals");
                if (run == 3) {
                    baselineHeap = usedHeapAfterGc();
                    baselineFiles = openFiles();
                }
            }
            sync.destination().server().faults().clear();
            sync.runUntilQuiet(6);
            sync.assertConverged();
            assertEquals(sync.model().size(), sync.state().current().getStatistics(SyncHarness.SYNC_ID).keys(), "no state growth beyond the keys present");
            assertTrue(sync.crashes() >= 2, "crashes happened: " + sync.crashes());
            final long heap = usedHeapAfterGc();
            final long files = openFiles();
            assertTrue(heap - baselineHeap < HEAP_TOLERANCE_BYTES, "heap grew from " + baselineHeap + " to " + heap);
            if (baselineFiles >= 0) {
                assertTrue(files - baselineFiles < FILE_TOLERANCE, "open files grew from " + baselineFiles + " to " + files);
            }
        }
    }

    private static long usedHeapAfterGc() {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * @return the open file descriptors of this process (Linux), or -1 elsewhere
     */
    private static long openFiles() {
        final String[] descriptors = new File("/proc/self/fd").list();
        return descriptors == null ? -1 : descriptors.length;
    }
}
