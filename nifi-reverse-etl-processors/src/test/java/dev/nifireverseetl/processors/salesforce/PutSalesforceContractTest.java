package dev.nifireverseetl.processors.salesforce;

import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.testsupport.contract.PrismContract;
import dev.nifireverseetl.testsupport.emulator.RecordedExchange;
import dev.nifireverseetl.testsupport.emulator.salesforce.SalesforceEmulator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request PutSalesforce sends (token, sObject Collections upsert, Bulk API 2.0 job steps, SOQL lookup) is
 * replayed to Prism running shared/specs/salesforce-rest-minimal.openapi.json and must show no contract violation.
 * Describe and collection delete are not in that spec and are not replayed.
 */
class PutSalesforceContractTest {

    @TempDir
    Path stateDirectory;

    @Test
    void requestsConformToTheSalesforceSpec() throws Exception {
        final Path prism = PrismContract.findBinary();
        if (PrismContract.required()) {
            assertNotNull(prism, "prism is required in CI");
        }
        Assumptions.assumeTrue(prism != null, "prism not installed (.tools/prism); the contract check is skipped locally");
        final List<RecordedExchange> exchanges;
        try (SalesforceEmulator emulator = SalesforceEmulator.start()) {
            emulator.bulkDelays(10, 10);
            emulator.server().recording(true);
            final SalesforceTestFlow flow = new SalesforceTestFlow(emulator, stateDirectory);
            flow.runner.setProperty(PutSalesforce.BULK_THRESHOLD, "250");
            flow.enqueue(SalesforceTestFlow.rows(20, "v1"));
            flow.enqueue(SalesforceTestFlow.rows(300, "v2"));
            final List<Map<String, Object>> removals = SalesforceTestFlow.rows(2, "v2");
            for (final Map<String, Object> removal : removals) {
                removal.put(SyncRecordFields.OPERATION, "removed");
                removal.remove(SyncRecordFields.KEY);
                removal.remove(SyncRecordFields.VERSION);
            }
            flow.enqueue(removals);
            flow.runner.run(3);
            assertEquals(322, flow.count("success"));
            exchanges = emulator.server().recordedExchanges();
        }
        final List<String> violations = new ArrayList<>();
        int checked = 0;
        try (PrismContract contract = PrismContract.start(prism, PrismContract.spec("salesforce-rest-minimal.openapi.json"))) {
            for (final RecordedExchange exchange : exchanges) {
                if (exchange.path().contains("/describe") || ("DELETE".equals(exchange.method()) && exchange.path().contains("/composite/sobjects"))) {
                    continue;
                }
                checked++;
                for (final String violation : contract.violations(exchange)) {
                    violations.add(exchange.method() + " " + exchange.path() + ": " + violation);
                }
            }
        }
        assertTrue(checked >= 8, "token, upsert, job create/upload/close/poll/results and the query were checked: " + checked);
        assertEquals(List.of(), violations);
    }
}
