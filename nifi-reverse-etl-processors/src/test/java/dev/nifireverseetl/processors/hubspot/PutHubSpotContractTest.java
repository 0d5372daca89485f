package dev.nifireverseetl.processors.hubspot;

import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.testsupport.contract.PrismContract;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request PutHubSpot sends (upsert, create, update, read for "if empty" fields, with 207 and 400 paths) is
 * replayed to Prism running shared/specs/hubspot-crm-objects-minimal.openapi.json: zero contract violations. Skips
 * locally without the prism binary; fails in CI (CI set) without it. batch/archive is not in that description, so
 * removals are exercised by the other tests only.
 */
class PutHubSpotContractTest {

    @Test
    void requestsConformToTheHubSpotDescription() {
        final Path binary = PrismContract.findBinary();
        if (PrismContract.required()) {
            assertNotNull(binary, "CI requires the prism binary (PRISM_BIN or .tools/prism)");
        }
        Assumptions.assumeTrue(binary != null, "prism is not installed (npm install --prefix .tools/prism @stoplight/prism-cli@5.14.2)");

        final List<RecordedExchange> exchanges;
        try (HubSpotEmulator emulator = HubSpotTestSupport.emulator()) {
            emulator.server().recording(true);
            final TestRunner runner = HubSpotTestSupport.runner(emulator);
            runner.setProperty(AbstractPutDestination.FIELD_OWNERSHIP, "hubspot_owner_id=if empty");
            final List<String> lines = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                lines.add("{\"email\":\"c" + i + "@example.com\",\"firstname\":\"F" + i + "\",\"birthday\":\"1990-03-07\",\"opt_in\":true,\"hubspot_owner_id\":\"7\"}");
            }
            lines.add("{\"email\":\"broken\",\"firstname\":\"B\"}");
            runner.enqueue(HubSpotTestSupport.lines(lines));
            runner.run();
            runner.setProperty(AbstractPutDestination.SYNC_MODE, "update only");
            runner.enqueue(HubSpotTestSupport.lines(List.of(HubSpotTestSupport.contactLine("c1@example.com", "U"))));
            runner.run();
            runner.setProperty(AbstractPutDestination.SYNC_MODE, "create only");
            runner.enqueue(HubSpotTestSupport.lines(List.of(HubSpotTestSupport.contactLine("new@example.com", "N"))));
            runner.run();
            exchanges = emulator.server().recordedExchanges();
        }
        assertTrue(exchanges.size() > 5);
        try (PrismContract prism = PrismContract.start(binary, PrismContract.spec("hubspot-crm-objects-minimal.openapi.json"))) {
            final List<String> violations = new ArrayList<>();
            for (final RecordedExchange exchange : exchanges) {
                for (final String violation : prism.violations(exchange)) {
                    violations.add(exchange.method() + " " + exchange.path() + ": " + violation);
                }
            }
            assertEquals(List.of(), violations);
        }
    }
}
