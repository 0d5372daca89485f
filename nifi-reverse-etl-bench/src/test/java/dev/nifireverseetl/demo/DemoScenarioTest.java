package dev.nifireverseetl.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the demo's scenario (small) against the HubSpot emulator, so the demo cannot silently rot: the second run must send
 * exactly the changes, and the third only the failed row that still differs.
 */
class DemoScenarioTest {

    private static final int ROWS = 1_000;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void secondRunSendsOnlyTheChangesAndThirdOnlyTheFixedRow() throws Exception {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final DemoScenario.Result result;
        try (DemoDestination destination = DemoDestination.emulator(190);
             PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            result = new DemoScenario(out).run(ROWS, destination, 190);
            assertEquals(ROWS + result.edits().inserted() - result.edits().deleted(), destination.contactCount(), "contacts in the emulator after the runs");
        }
        final DemoScenario.Edits edits = result.edits();

        final RunReport first = result.first();
        assertEquals(ROWS, first.added());
        assertEquals(ROWS, first.succeeded());
        assertEquals(ROWS, first.destinationRecords(), "the first run sends every row once");
        assertEquals((ROWS + 99) / 100, first.destinationRequests(), "100 contacts per batch request");

        final RunReport second = result.second();
        assertEquals(edits.inserted(), second.added());
        assertEquals(edits.updated() + 2, second.changed());
        assertEquals(edits.deleted(), second.removed());
        assertEquals(ROWS - edits.updated() - 2 - edits.deleted(), second.unchanged());
        assertEquals(edits.changesOfSecondRun(), second.recordsToDestination(), "only the changes reach PutHubSpot");
        assertEquals(2, second.failed(), "both invalid emails are rejected by HubSpot");
        assertEquals(edits.changesOfSecondRun() - 2, second.succeeded());
        assertTrue(second.destinationRecords() >= edits.changesOfSecondRun() && second.destinationRecords() < 4L * edits.changesOfSecondRun(),
                "the emulator received the changes (and the re-sent halves of rejected batches), never the unchanged rows: " + second.destinationRecords());

        final RunReport third = result.third();
        assertEquals(1, third.changed(), "only the fixed row still differs from what HubSpot accepted");
        assertEquals(1, third.recordsToDestination());
        assertEquals(1, third.succeeded());
        assertEquals(1, third.destinationRecords());
        assertEquals(0, third.failed());

        final String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("INVALID_EMAIL"), printed);
        assertFalse(printed.contains(DemoDestination.EMULATOR_TOKEN), "the token is never printed");
    }
}
