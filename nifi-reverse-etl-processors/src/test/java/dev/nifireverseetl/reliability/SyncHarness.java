package dev.nifireverseetl.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.diff.DiffRecords;
import dev.nifireverseetl.processors.engine.AbstractPutDestination;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.RowKey;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStatistics;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A whole sync under test: a warehouse model (rows by key), DiffRecords and a Put processor for one destination, both on
 * one real sync state service (embedded or JDBC, see {@link StateHost}). {@link #runOnce()} is one sync run (diff the
 * model, then write every diff output and every record waiting in retry); a Put task that throws is a process crash:
 * the state service and both processors are restarted and the FlowFile, never committed, is processed again by the
 * new processor. Records in = records out is asserted for every diff and every Put FlowFile.
 */
final class SyncHarness implements AutoCloseable {

    static final String SYNC_ID = "reliability-sync";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Relationship> PUT_OUTCOMES = List.of(AbstractPutDestination.REL_SUCCESS, AbstractPutDestination.REL_FAILURE,
            AbstractPutDestination.REL_RETRY, AbstractPutDestination.REL_SUPERSEDED);
    private static final int MAX_ATTEMPTS_PER_FLOWFILE = 2;

    private final SyncDestination destination;
    private final StateHost state;
    private final Map<String, ModelRow> model = new TreeMap<>();
    private final Map<String, Map<String, String>> valuesByVersion = new HashMap<>();
    private final List<byte[]> waiting = new ArrayList<>();
    private Consumer<TestRunner> putSettings = runner -> { };
    private TestRunner diff;
    private TestRunner put;
    private int crashes;
    private int nextKey;
    private int runs;

    SyncHarness(final SyncDestination destination, final StateHost state) {
        this.destination = destination;
        this.state = state;
        diff = newDiffRunner();
    }

    SyncDestination destination() {
        return destination;
    }

    StateHost state() {
        return state;
    }

    Map<String, ModelRow> model() {
        return model;
    }

    int crashes() {
        return crashes;
    }

    /**
     * Extra Put properties, applied to every Put runner created from now on (the current one is replaced).
     */
    SyncHarness putSettings(final Consumer<TestRunner> settings) {
        this.putSettings = settings;
        discardPut();
        return this;
    }

    // ------------------------------------------------------------------ model

    SyncHarness seed(final int rows) {
        for (int i = 0; i < rows; i++) {
            final String key = String.format("k%05d", nextKey++);
            model.put(key, new ModelRow(key, "First" + key, "Last" + key));
        }
        return this;
    }

    /**
     * Changes, adds and removes rows at random (removals stay under DiffRecords' default 20 % guard).
     */
    SyncHarness mutate(final Random random, final int changes, final int additions, final int removals) {
        final List<String> keys = new ArrayList<>(model.keySet());
        for (int i = 0; i < changes && !keys.isEmpty(); i++) {
            final String key = keys.get(random.nextInt(keys.size()));
            final ModelRow row = model.get(key);
            model.put(key, random.nextBoolean() ? new ModelRow(key, row.first() + "x", row.last()) : new ModelRow(key, row.first(), row.last() + "y"));
        }
        for (int i = 0; i < removals && !keys.isEmpty(); i++) {
            model.remove(keys.remove(random.nextInt(keys.size())));
        }
        for (int i = 0; i < additions; i++) {
            final String key = String.format("k%05d", nextKey++);
            model.put(key, new ModelRow(key, "New" + key, "Row" + key));
        }
        return this;
    }

    // ------------------------------------------------------------------ runs

    /**
     * What one sync run did.
     */
    record RunReport(long added, long changed, long removed, long unchanged, long success, long failure, long retry, long superseded, int crashes) {

        /**
         * @return true when the run wrote nothing: no diff output and no record waiting in retry (a run that still wrote
         * retried records is not quiet: only the next diff run shows what they left behind)
         */
        boolean quiet() {
            return added == 0 && changed == 0 && removed == 0 && success == 0 && failure == 0 && retry == 0 && superseded == 0;
        }
    }

    /**
     * One sync run: DiffRecords over the model, then the Put processor over every diff output and every retry record.
     */
    RunReport runOnce() {
        runs++;
        diff.clearTransferState();
        final StringBuilder snapshot = new StringBuilder();
        for (final ModelRow row : model.values()) {
            snapshot.append(destination.record(row)).append('\n');
        }
        diff.enqueue(snapshot.toString());
        diff.run();
        assertTrue(diff.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).isEmpty(), "DiffRecords routed the snapshot to failure");
        final long added = count(diff, DiffRecords.REL_ADDED);
        final long changed = count(diff, DiffRecords.REL_CHANGED);
        final long unchanged = count(diff, DiffRecords.REL_UNCHANGED);
        final long removed = count(diff, DiffRecords.REL_REMOVED);
        assertEquals(model.size(), added + changed + unchanged, "DiffRecords: every snapshot row leaves as added, changed or unchanged");
        final List<byte[]> inputs = new ArrayList<>(waiting);
        waiting.clear();
        for (final Relationship relationship : List.of(DiffRecords.REL_ADDED, DiffRecords.REL_CHANGED, DiffRecords.REL_REMOVED)) {
            for (final MockFlowFile flowFile : diff.getFlowFilesForRelationship(relationship)) {
                for (final JsonNode record : records(flowFile)) {
                    if (!"removed".equals(record.path(SyncRecordFields.OPERATION).asText())) {
                        valuesByVersion.put(record.path(SyncRecordFields.VERSION).asText(), destination.expected(record));
                    }
                }
                inputs.add(flowFile.toByteArray());
            }
        }
        final long[] outcomes = new long[PUT_OUTCOMES.size()];
        final int crashesBefore = crashes;
        final Set<String> heldBefore = new HashSet<>(destination.contents().keySet());
        for (final byte[] input : inputs) {
            final long[] flowFileOutcomes = put(input);
            for (int i = 0; i < outcomes.length; i++) {
                outcomes[i] += flowFileOutcomes[i];
            }
        }
        assertNoRowCreatedOutsideTheModel(heldBefore);
        return new RunReport(added, changed, removed, unchanged, outcomes[0], outcomes[1], outcomes[2], outcomes[3], crashes - crashesBefore);
    }

    /**
     * Invariant 2: a version of a row that left the model is never sent, so a run never creates a record the model does
     * not hold (for example from a version that waited in retry while its row was removed from the model).
     */
    private void assertNoRowCreatedOutsideTheModel(final Set<String> heldBefore) {
        final Set<String> modelKeys = new HashSet<>();
        for (final ModelRow row : model.values()) {
            modelKeys.add(keyValue(row));
        }
        for (final String key : destination.contents().keySet()) {
            assertTrue(heldBefore.contains(key) || modelKeys.contains(key), destination.name() + " got a record the model no longer holds: " + key);
        }
    }

    /**
     * Runs until a run finds nothing to do and nothing waits in retry.
     *
     * @return the reports of the runs made
     */
    List<RunReport> runUntilQuiet(final int maxRuns) {
        final List<RunReport> reports = new ArrayList<>();
        for (int i = 0; i < maxRuns; i++) {
            final RunReport report = runOnce();
            reports.add(report);
            if (report.quiet() && waiting.isEmpty()) {
                return reports;
            }
        }
        fail("The sync was not quiet after " + maxRuns + " runs: " + reports);
        return reports;
    }

    /**
     * Writes one FlowFile; a crash restarts the process and the same FlowFile is processed again (NiFi keeps a FlowFile
     * whose session was not committed). A FlowFile the processor did not take (it yielded) waits for the next run.
     *
     * @return records per outcome (success, failure, retry, superseded)
     */
    private long[] put(final byte[] input) {
        final long recordsIn = records(input).size();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS_PER_FLOWFILE; attempt++) {
            final TestRunner runner = putRunner();
            runner.clearTransferState();
            runner.enqueue(input);
            try {
                runner.run(1);
            } catch (final AssertionError crash) {
                crashes++;
                restartProcess();
                continue;
            }
            if (runner.getQueueSize().getObjectCount() > 0) {
                waiting.add(input);
                discardPut();
                return new long[PUT_OUTCOMES.size()];
            }
            final long[] outcomes = new long[PUT_OUTCOMES.size()];
            long out = 0;
            for (int i = 0; i < PUT_OUTCOMES.size(); i++) {
                for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(PUT_OUTCOMES.get(i))) {
                    outcomes[i] += records(flowFile).size();
                    if (PUT_OUTCOMES.get(i).equals(AbstractPutDestination.REL_RETRY)) {
                        waiting.add(flowFile.toByteArray());
                    }
                }
                out += outcomes[i];
            }
            assertEquals(recordsIn, out, destination.name() + ": records in = records out for every Put FlowFile");
            return outcomes;
        }
        fail("A FlowFile crashed the Put processor " + MAX_ATTEMPTS_PER_FLOWFILE + " times in a row");
        return null;
    }

    /**
     * A process restart: the state service is disabled and a new instance enabled on the same store; DiffRecords and
     * the Put processor are new instances.
     */
    void restartProcess() {
        discardPut();
        state.restart();
        diff = newDiffRunner();
    }

    private TestRunner putRunner() {
        if (put == null) {
            put = destination.newPutRunner();
            put.setProperty(AbstractPutDestination.RETRY_BACKOFF, "10 ms");
            put.setProperty(AbstractPutDestination.READ_TIMEOUT, "1 sec");
            put.setProperty(AbstractPutDestination.MAX_RATE_LIMIT_WAIT, "15 sec");
            addState(put, AbstractPutDestination.SYNC_STATE_SERVICE.getName());
            put.setProperty(AbstractPutDestination.SYNC_ID, SYNC_ID);
            putSettings.accept(put);
        }
        return put;
    }

    /**
     * Replaces the Put processor with a new instance (for example after the credentials changed).
     */
    void newPutProcessor() {
        discardPut();
    }

    private void discardPut() {
        if (put != null) {
            try {
                put.stop();
            } catch (final RuntimeException | AssertionError ignored) {
                // the processor of a crashed process is gone either way
            }
            put = null;
        }
    }

    private TestRunner newDiffRunner() {
        final TestRunner runner = TestRunners.newTestRunner(DiffRecords.class);
        JsonLines.register(runner, DiffRecords.RECORD_READER.getName(), DiffRecords.RECORD_WRITER.getName());
        addState(runner, DiffRecords.SYNC_STATE_SERVICE.getName());
        runner.setProperty(DiffRecords.SYNC_ID, SYNC_ID);
        runner.setProperty(DiffRecords.KEY_FIELDS, destination.keyField());
        return runner;
    }

    private void addState(final TestRunner runner, final String property) {
        final FaultingSyncStateService service = new FaultingSyncStateService(state);
        try {
            runner.addControllerService("state", service);
        } catch (final InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.enableControllerService(service);
        runner.setProperty(property, "state");
    }

    // ------------------------------------------------------------------ assertions

    private String keyValue(final ModelRow row) {
        return destination.record(row).path(destination.keyField()).asText();
    }

    /**
     * The emulator holds exactly the model: every row once, with its current values, and nothing else.
     */
    void assertDestinationEqualsModel() {
        final Map<String, Map<String, String>> expected = new TreeMap<>();
        for (final ModelRow row : model.values()) {
            expected.put(keyValue(row), destination.expected(destination.record(row)));
        }
        assertEquals(expected, destination.contents(), destination.name() + " must hold exactly the model");
    }

    /**
     * The state holds one accepted key per model row, and each accepted version is the version whose values the
     * destination holds, with the destination's record id.
     */
    void assertStateMatchesDestination() {
        final SyncStatistics statistics = state.current().getStatistics(SYNC_ID);
        assertEquals(model.size(), statistics.keys(), "state keys = model rows");
        assertEquals(model.size(), statistics.accepted(), "every key accepted");
        final Map<String, String> canonicalToValue = new HashMap<>();
        for (final ModelRow row : model.values()) {
            canonicalToValue.put(RowKey.of(List.of(keyValue(row))).canonical(), keyValue(row));
        }
        final Map<String, KeyState> states = state.current().getStates(SYNC_ID, canonicalToValue.keySet());
        final Map<String, Map<String, String>> contents = destination.contents();
        final Map<String, String> ids = destination.destinationIds();
        for (final Map.Entry<String, String> key : canonicalToValue.entrySet()) {
            final KeyState keyState = states.get(key.getKey());
            assertNotNull(keyState, "no state for " + key.getValue());
            final Map<String, String> acceptedValues = valuesByVersion.get(keyState.acceptedVersion());
            assertNotNull(acceptedValues, "the accepted version of " + key.getValue() + " was never emitted by DiffRecords");
            assertEquals(contents.get(key.getValue()), acceptedValues, "the accepted version of " + key.getValue() + " is what " + destination.name() + " holds");
            if (keyState.destinationId() != null) {
                assertEquals(ids.get(key.getValue()), keyState.destinationId(), "destination id of " + key.getValue());
            }
        }
    }

    void assertConverged() {
        assertDestinationEqualsModel();
        assertStateMatchesDestination();
    }

    // ------------------------------------------------------------------ records

    static long count(final TestRunner runner, final Relationship relationship) {
        long count = 0;
        for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
            count += records(flowFile).size();
        }
        return count;
    }

    static List<JsonNode> records(final MockFlowFile flowFile) {
        return records(flowFile.toByteArray());
    }

    static List<JsonNode> records(final byte[] content) {
        final List<JsonNode> records = new ArrayList<>();
        for (final String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    records.add(MAPPER.readTree(line));
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return records;
    }

    int runs() {
        return runs;
    }

    @Override
    public void close() {
        discardPut();
        state.close();
        destination.close();
    }
}
