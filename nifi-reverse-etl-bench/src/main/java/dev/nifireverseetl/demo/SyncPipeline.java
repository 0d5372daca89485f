package dev.nifireverseetl.demo;

import dev.nifireverseetl.processors.diff.DiffRecords;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.processors.hubspot.PutHubSpot;
import dev.nifireverseetl.processors.pii.HashPII;
import dev.nifireverseetl.state.embedded.EmbeddedSyncStateService;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processors of the HubSpot template (templates/reverse-etl/warehouse-to-hubspot-contacts.json), configured as
 * there and chained the way its connections chain them, each driven by nifi-mock's TestRunner:
 * <pre>
 * model snapshot -> DiffRecords --added, changed--> HashPII --success--> PutHubSpot
 *                              \--removed-----------------------------> PutHubSpot
 *                   PutHubSpot --retry--> PutHubSpot (the template loops retry back, penalized)
 * </pre>
 * One embedded sync state service holds the state of every run, as in the template.
 */
final class SyncPipeline implements AutoCloseable {

    static final String SYNC_ID = "warehouse-customers-to-hubspot-contacts";
    static final String FIELD_MAPPING = "customer_id=warehouse_id, first_name=firstname, last_name=lastname, lifecycle_stage=lifecyclestage";
    private static final String STATE_SERVICE_ID = "sync-state";
    private static final int RETRY_ROUNDS = 3;
    private static final long RETRY_PENALTY_MILLIS = 1_000;

    private final TestRunner diff;
    private final TestRunner hash;
    private final TestRunner put;
    private final EmbeddedSyncStateService state;
    private final List<String> lastFailures = new ArrayList<>();

    SyncPipeline(final Path stateDirectory, final String hubSpotBaseUrl, final String accessToken, final int requestsPerTenSeconds) {
        state = new EmbeddedSyncStateService();
        diff = TestRunners.newTestRunner(DiffRecords.class);
        JsonLines.register(diff, DiffRecords.RECORD_READER.getName(), DiffRecords.RECORD_WRITER.getName());
        addService(diff, state);
        diff.setProperty(state, EmbeddedSyncStateService.STATE_DIRECTORY, stateDirectory.toString());
        diff.enableControllerService(state);
        diff.setProperty(DiffRecords.SYNC_STATE_SERVICE, STATE_SERVICE_ID);
        diff.setProperty(DiffRecords.SYNC_ID, SYNC_ID);
        diff.setProperty(DiffRecords.KEY_FIELDS, "customer_id");
        diff.setProperty(DiffRecords.MAX_REMOVAL_PERCENTAGE, "20");
        diff.setProperty(DiffRecords.MAX_RECORDS_PER_FLOWFILE, "1000");

        hash = TestRunners.newTestRunner(HashPII.class);
        JsonLines.register(hash, HashPII.RECORD_READER.getName(), HashPII.RECORD_WRITER.getName());
        hash.setProperty(HashPII.PRESET, "Generic SHA-256");
        hash.setProperty(HashPII.INVALID_VALUE_HANDLING, "Clear Field and Continue");
        hash.setProperty("email_sha256", "email");

        put = TestRunners.newTestRunner(PutHubSpot.class);
        JsonLines.register(put, AbstractPutDestination.RECORD_READER.getName(), AbstractPutDestination.RECORD_WRITER.getName());
        final SharedSyncStateService sharedState = new SharedSyncStateService(state);
        addService(put, sharedState);
        put.enableControllerService(sharedState);
        put.setProperty(PutHubSpot.BASE_URL, hubSpotBaseUrl);
        put.setProperty(PutHubSpot.ACCESS_TOKEN, accessToken);
        put.setProperty(PutHubSpot.OBJECT_TYPE_PROPERTY, "contacts");
        put.setProperty(PutHubSpot.ID_PROPERTY, "warehouse_id");
        put.setProperty(PutHubSpot.RATE_LIMIT, String.valueOf(requestsPerTenSeconds));
        put.setProperty(AbstractPutDestination.MATCH_KEY_FIELD, "customer_id");
        put.setProperty(AbstractPutDestination.FIELD_MAPPING, FIELD_MAPPING);
        put.setProperty(AbstractPutDestination.SYNC_STATE_SERVICE, STATE_SERVICE_ID);
        put.setProperty(AbstractPutDestination.SYNC_ID, "${sync.id}");
    }

    private static void addService(final TestRunner runner, final ControllerService service) {
        try {
            runner.addControllerService(STATE_SERVICE_ID, service);
        } catch (final InitializationException e) {
            throw new IllegalStateException("Cannot add the sync state service", e);
        }
    }

    /**
     * Runs one snapshot through the chain.
     */
    RunReport run(final DemoWarehouse.Snapshot snapshot, final DemoDestination destination) throws InterruptedException {
        final long started = System.currentTimeMillis();
        final DemoDestination.Mark mark = destination.mark();
        diff.clearTransferState();
        diff.enqueue(snapshot.content());
        diff.run();
        final long failedDiffs = recordCount(diff, DiffRecords.REL_FAILURE);
        if (!diff.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).isEmpty()
                && diff.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).get(0).getAttribute(DiffRecords.ATTRIBUTE_FAILURE_REASON) != null) {
            throw new IllegalStateException("DiffRecords stopped the run: "
                    + diff.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).get(0).getAttribute(DiffRecords.ATTRIBUTE_FAILURE_MESSAGE));
        }

        final List<MockFlowFile> toPut = new ArrayList<>();
        long hashFailures = 0;
        final List<MockFlowFile> toHash = new ArrayList<>(diff.getFlowFilesForRelationship(DiffRecords.REL_ADDED));
        toHash.addAll(diff.getFlowFilesForRelationship(DiffRecords.REL_CHANGED));
        for (final MockFlowFile flowFile : toHash) {
            hash.clearTransferState();
            hash.enqueue(flowFile.toByteArray(), flowFile.getAttributes());
            hash.run();
            toPut.addAll(hash.getFlowFilesForRelationship(HashPII.REL_SUCCESS));
            hashFailures += recordCount(hash, HashPII.REL_FAILURE);
        }
        toPut.addAll(diff.getFlowFilesForRelationship(DiffRecords.REL_REMOVED));

        lastFailures.clear();
        final PutTotals totals = new PutTotals();
        List<MockFlowFile> queue = toPut;
        for (int round = 0; round <= RETRY_ROUNDS && !queue.isEmpty(); round++) {
            if (round > 0) {
                Thread.sleep(RETRY_PENALTY_MILLIS);
            }
            final List<MockFlowFile> retry = new ArrayList<>();
            for (final MockFlowFile flowFile : queue) {
                put.clearTransferState();
                put.enqueue(flowFile.toByteArray(), flowFile.getAttributes());
                put.run();
                totals.succeeded += recordCount(put, AbstractPutDestination.REL_SUCCESS);
                totals.failed += recordCount(put, AbstractPutDestination.REL_FAILURE);
                totals.superseded += recordCount(put, AbstractPutDestination.REL_SUPERSEDED);
                totals.requests += requestCount(put);
                for (final MockFlowFile failed : put.getFlowFilesForRelationship(AbstractPutDestination.REL_FAILURE)) {
                    lastFailures.add(failed.getAttribute("record.count") + " record(s): " + failed.getAttribute("retl.error.code") + " "
                            + failed.getAttribute("retl.error.message"));
                }
                retry.addAll(put.getFlowFilesForRelationship(AbstractPutDestination.REL_RETRY));
            }
            queue = retry;
        }
        for (final MockFlowFile flowFile : queue) {
            totals.stillToRetry += Long.parseLong(flowFile.getAttribute("record.count"));
        }
        final DemoDestination.Received received = destination.receivedSince(mark);
        return new RunReport(snapshot.rows(), recordCount(diff, DiffRecords.REL_ADDED), recordCount(diff, DiffRecords.REL_CHANGED),
                recordCount(diff, DiffRecords.REL_REMOVED), recordCount(diff, DiffRecords.REL_UNCHANGED), failedDiffs, hashFailures,
                totals.succeeded, totals.failed, totals.stillToRetry, totals.superseded, totals.requests, received.requests(), received.records(), System.currentTimeMillis() - started);
    }

    /**
     * @return the failures of the last run as PutHubSpot reported them (error code and message; personal data is redacted by PutHubSpot)
     */
    List<String> lastFailures() {
        return List.copyOf(lastFailures);
    }

    private static long recordCount(final TestRunner runner, final Relationship relationship) {
        long count = 0;
        for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
            final String value = flowFile.getAttribute("record.count");
            count += value == null ? 0 : Long.parseLong(value);
        }
        return count;
    }

    private static long requestCount(final TestRunner runner) {
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                final String value = flowFile.getAttribute("retl.request.count");
                if (value != null) {
                    return Long.parseLong(value);
                }
            }
        }
        return 0;
    }

    /**
     * @return each processor's effective properties (name to configured or default value), by processor class name, so tests can hold the demo to the template
     */
    Map<String, Map<String, String>> propertiesByProcessorType() {
        final Map<String, Map<String, String>> properties = new LinkedHashMap<>();
        for (final TestRunner runner : List.of(diff, hash, put)) {
            final Map<String, String> values = new LinkedHashMap<>();
            for (final PropertyDescriptor descriptor : runner.getProcessor().getPropertyDescriptors()) {
                values.put(descriptor.getName(), descriptor.getDefaultValue());
            }
            for (final Map.Entry<PropertyDescriptor, String> property : runner.getProcessContext().getProperties().entrySet()) {
                if (property.getValue() != null) {
                    values.put(property.getKey().getName(), property.getValue());
                }
            }
            properties.put(runner.getProcessor().getClass().getName(), values);
        }
        return properties;
    }

    /**
     * PutHubSpot's outcome counts over the FlowFiles of one run.
     */
    private static final class PutTotals {
        private long succeeded;
        private long failed;
        private long stillToRetry;
        private long superseded;
        private long requests;
    }

    @Override
    public void close() {
        diff.disableControllerService(state);
    }
}
