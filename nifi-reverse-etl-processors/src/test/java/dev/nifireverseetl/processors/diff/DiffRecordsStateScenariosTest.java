package dev.nifireverseetl.processors.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateException;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.nifireverseetl.processors.diff.DiffHarness.row;
import static dev.nifireverseetl.processors.diff.DiffHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync-state invariants of DESIGN.md at the DiffRecords + state level, on both state implementations. The Put
 * processor is played by calling recordAccepted / recordFailed with the fields DiffRecords emitted.
 */
class DiffRecordsStateScenariosTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void acceptedRowsAreUnchangedOnTheNextRun(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        final DiffHarness.Outputs first = harness.run(row(1, "a@x.io", "A"), row(2, "b@x.io", "B"));
        assertEquals(Set.of("1", "2"), first.ids(DiffRecords.REL_ADDED));
        final JsonNode added = first.records(DiffRecords.REL_ADDED).get(0);
        assertEquals("added", text(added, SyncRecordFields.OPERATION));
        assertNotNull(text(added, SyncRecordFields.RUN_ID));
        assertEquals(32, text(added, SyncRecordFields.VERSION).length());
        final MockFlowFile flowFile = harness.runner.getFlowFilesForRelationship(DiffRecords.REL_ADDED).get(0);
        flowFile.assertAttributeEquals("sync.id", DiffHarness.SYNC);
        flowFile.assertAttributeEquals("record.count", "2");
        flowFile.assertAttributeEquals("diff.added.count", "2");
        assertEquals(2, harness.runner.getCounterValue("Records Added"));
        assertEquals(text(added, SyncRecordFields.VERSION), harness.stateOf(added.get("id").asLong()).proposedVersion());
        assertNull(harness.stateOf(1).acceptedVersion(), "a proposal is not an acceptance");

        harness.accept(first.records(DiffRecords.REL_ADDED), "hs-");
        final DiffHarness.Outputs second = harness.run(row(1, "a@x.io", "A"), row(2, "b@x.io", "B"));
        assertEquals(Set.of("1", "2"), second.ids(DiffRecords.REL_UNCHANGED));
        assertEquals("hs-1", text(second.records(DiffRecords.REL_UNCHANGED).stream().filter(r -> r.get("id").asInt() == 1).findFirst().orElseThrow(),
                SyncRecordFields.DESTINATION_ID));
        assertTrue(second.records(DiffRecords.REL_ADDED).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void failedRowUnchangedInTheWarehouseIsSentAgain(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        harness.accept(harness.run(row(1, "a@x.io", "A")).records(DiffRecords.REL_ADDED), null);
        final JsonNode changed = harness.run(row(1, "a2@x.io", "A")).only(DiffRecords.REL_CHANGED);
        harness.fail(List.of(changed), "INVALID_EMAIL: rejected");
        final KeyState failed = harness.stateOf(1);
        assertEquals(KeyState.Outcome.FAILED, failed.lastOutcome());
        assertNotEquals(text(changed, SyncRecordFields.VERSION), failed.acceptedVersion(), "a failure never advances the accepted version");

        final JsonNode again = harness.run(row(1, "a2@x.io", "A")).only(DiffRecords.REL_CHANGED);
        assertEquals(text(changed, SyncRecordFields.VERSION), text(again, SyncRecordFields.VERSION));
        assertEquals("[\"email\"]", text(again, SyncRecordFields.CHANGED_FIELDS));

        final JsonNode neverAccepted = harness.run(row(1, "a2@x.io", "A"), row(9, "z@x.io", "Z")).records(DiffRecords.REL_ADDED).get(0);
        harness.fail(List.of(neverAccepted), "500");
        assertEquals(Set.of("9"), harness.run(row(1, "a2@x.io", "A"), row(9, "z@x.io", "Z")).ids(DiffRecords.REL_ADDED),
                "a never-accepted failed row is added again");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void failedRowChangedInTheWarehouseSendsOnlyItsNewValues(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        harness.accept(harness.run(row(1, "v1@x.io", "A")).records(DiffRecords.REL_ADDED), null);
        final JsonNode v2 = harness.run(row(1, "v2@x.io", "A")).only(DiffRecords.REL_CHANGED);
        harness.fail(List.of(v2), "429 after retries");

        final JsonNode v3 = harness.run(row(1, "v3@x.io", "B")).only(DiffRecords.REL_CHANGED);
        assertEquals("v3@x.io", text(v3, "email"));
        assertEquals("B", text(v3, "name"));
        assertNotEquals(text(v2, SyncRecordFields.VERSION), text(v3, SyncRecordFields.VERSION));
        assertEquals("[\"email\",\"name\"]", text(v3, SyncRecordFields.CHANGED_FIELDS), "compared with the accepted v1, not the failed v2");
        assertEquals(text(v3, SyncRecordFields.VERSION), harness.stateOf(1).proposedVersion(), "the stale v2 is superseded");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void failedRowThatLeftTheModelIsDroppedOrRemoved(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_PERCENTAGE, "100");
        final DiffHarness.Outputs first = harness.run(row(1, "a@x.io", "A"), row(2, "b@x.io", "B"), row(3, "c@x.io", "C"));
        final List<JsonNode> added = first.records(DiffRecords.REL_ADDED);
        harness.accept(added.stream().filter(r -> r.get("id").asInt() != 2).toList(), "hs-");
        harness.fail(added.stream().filter(r -> r.get("id").asInt() == 2).toList(), "rejected");
        final JsonNode changed = harness.run(row(1, "a@x.io", "A"), row(2, "b@x.io", "B"), row(3, "c2@x.io", "C")).only(DiffRecords.REL_CHANGED);
        harness.fail(List.of(changed), "rejected");

        final DiffHarness.Outputs gone = harness.run(row(1, "a@x.io", "A"));
        assertTrue(gone.records(DiffRecords.REL_ADDED).isEmpty());
        assertNull(harness.stateOf(2), "a never-accepted row that left the model is dropped, nothing is sent");
        final JsonNode removal = gone.only(DiffRecords.REL_REMOVED);
        assertEquals(3, removal.get("id").asInt(), "row 3 had an accepted version: it becomes a removal");
        assertEquals("removed", text(removal, SyncRecordFields.OPERATION));
        assertEquals("hs-3", text(removal, SyncRecordFields.DESTINATION_ID));
        assertTrue(SyncRecordFields.isRemovalVersion(text(removal, SyncRecordFields.VERSION)));
        assertEquals(text(removal, SyncRecordFields.VERSION), harness.stateOf(3).proposedVersion());
        assertEquals(Set.of("1"), gone.ids(DiffRecords.REL_UNCHANGED));
        harness.runner.getFlowFilesForRelationship(DiffRecords.REL_REMOVED).get(0).assertAttributeEquals("diff.removed.count", "1");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void overlappingRunsNeverMarkAnUnacceptedVersionAsSynced(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        harness.accept(harness.run(row(1, "v1@x.io", "A")).records(DiffRecords.REL_ADDED), null);
        final String v1 = harness.stateOf(1).acceptedVersion();

        final JsonNode v2 = harness.run(row(1, "v2@x.io", "A")).only(DiffRecords.REL_CHANGED);
        final JsonNode v3 = harness.run(row(1, "v3@x.io", "A")).only(DiffRecords.REL_CHANGED);
        assertEquals(v1, harness.stateOf(1).acceptedVersion(), "two runs proposed, nothing accepted: the state is still v1");
        assertEquals(text(v3, SyncRecordFields.VERSION), harness.stateOf(1).proposedVersion(), "v2 is stale now");

        try (SyncRun open = harness.state.beginRun(DiffHarness.SYNC)) {
            assertThrows(SyncStateException.class, () -> harness.state.beginRun(DiffHarness.SYNC), "a second open run is refused");
            harness.runner.clearTransferState();
            harness.runner.enqueue(row(1, "v4@x.io", "A").getBytes(StandardCharsets.UTF_8));
            harness.runner.run();
            assertEquals(1, harness.runner.getQueueSize().getObjectCount(), "the snapshot stays queued while another run is open");
            assertTrue(harness.runner.getFlowFilesForRelationship(DiffRecords.REL_CHANGED).isEmpty());
            harness.accept(List.of(v3), null);
            assertNotNull(open.runId());
        }
        assertEquals(text(v3, SyncRecordFields.VERSION), harness.stateOf(1).acceptedVersion(), "only recordAccepted advances the state");
        harness.runner.clearTransferState();
        harness.runner.run();
        assertEquals("[\"email\"]", text(harness.outputs().only(DiffRecords.REL_CHANGED), SyncRecordFields.CHANGED_FIELDS));
        assertNotEquals(text(v2, SyncRecordFields.VERSION), harness.stateOf(1).acceptedVersion());
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void abandonedRunIsExpiredByTheNextRun(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory, "200 millis");
        final SyncRun abandoned = harness.state.beginRun(DiffHarness.SYNC);
        abandoned.markSeen(List.of("[\"1\"]"));
        Thread.sleep(400);
        final DiffHarness.Outputs outputs = harness.run(row(1, "a@x.io", "A"));
        assertEquals(Set.of("1"), outputs.ids(DiffRecords.REL_ADDED));
        assertThrows(SyncStateException.class, () -> abandoned.complete(new SyncRunStatistics("x", 0, 0, 0, 0, 0, 0, 0)),
                "an expired run cannot complete");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void deleteSafetyGuardStopsTheRunBeforeAnythingIsEmitted(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        final String[] ten = new String[10];
        for (int i = 0; i < 10; i++) {
            ten[i] = row(i, "u" + i + "@x.io", "U");
        }
        harness.accept(harness.run(ten).records(DiffRecords.REL_ADDED), null);

        final DiffHarness.Outputs stopped = harness.run(ten[0], ten[1], ten[2], row(3, "changed@x.io", "U"));
        assertEquals(1, stopped.wholeFailures().size());
        stopped.wholeFailures().get(0).assertAttributeEquals(DiffRecords.ATTRIBUTE_FAILURE_REASON, "REMOVAL_LIMIT");
        assertTrue(stopped.wholeFailures().get(0).getAttribute(DiffRecords.ATTRIBUTE_FAILURE_MESSAGE).contains("60.00%"));
        for (final Relationship relationship : List.of(DiffRecords.REL_ADDED, DiffRecords.REL_CHANGED, DiffRecords.REL_REMOVED, DiffRecords.REL_UNCHANGED)) {
            assertTrue(harness.runner.getFlowFilesForRelationship(relationship).isEmpty(), "nothing emitted on " + relationship.getName());
        }
        assertTrue(harness.runner.getLogger().getErrorMessages().stream().anyMatch(m -> m.getMsg().contains("Delete-safety guard")));
        assertEquals(10, harness.state.getStatistics(DiffHarness.SYNC).accepted(), "the state keeps every accepted key");

        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_PERCENTAGE, "100");
        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_COUNT, "5");
        assertEquals("REMOVAL_LIMIT", harness.run(ten[0], ten[1], ten[2]).wholeFailures().get(0).getAttribute(DiffRecords.ATTRIBUTE_FAILURE_REASON));

        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_COUNT, "7");
        final DiffHarness.Outputs allowed = harness.run(ten[0], ten[1], ten[2]);
        assertEquals(Set.of("3", "4", "5", "6", "7", "8", "9"), allowed.ids(DiffRecords.REL_REMOVED));
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void emptySnapshotNeverProducesRemovals(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_PERCENTAGE, "100");
        final DiffHarness.Outputs firstEver = harness.run();
        assertTrue(firstEver.wholeFailures().isEmpty(), "an empty first snapshot has nothing to remove");
        harness.accept(harness.run(row(1, "a@x.io", "A")).records(DiffRecords.REL_ADDED), null);

        final DiffHarness.Outputs empty = harness.run();
        empty.wholeFailures().get(0).assertAttributeEquals(DiffRecords.ATTRIBUTE_FAILURE_REASON, "EMPTY_SNAPSHOT");
        assertTrue(empty.records(DiffRecords.REL_REMOVED).isEmpty());
        final DiffHarness.Outputs onlyInvalid = harness.run("{\"id\":null,\"email\":\"x\",\"name\":\"N\"}");
        onlyInvalid.wholeFailures().get(0).assertAttributeEquals(DiffRecords.ATTRIBUTE_FAILURE_REASON, "EMPTY_SNAPSHOT");
        assertNotNull(harness.stateOf(1).acceptedVersion());
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void fragmentsFormOneSnapshot(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_PERCENTAGE, "100");
        harness.accept(harness.run(row(1, "a", "A"), row(2, "b", "B"), row(3, "c", "C"), row(4, "d", "D")).records(DiffRecords.REL_ADDED), null);
        harness.runner.clearTransferState();
        enqueueFragment(harness, "snap-1", 1, 3, row(3, "c", "C") + "\n" + row(5, "e", "E"));
        enqueueFragment(harness, "snap-1", 0, 3, row(1, "a", "A"));
        harness.runner.run();
        assertEquals(2, harness.runner.getQueueSize().getObjectCount(), "an incomplete snapshot waits for its last fragment");
        assertTrue(harness.runner.getFlowFilesForRelationship(DiffRecords.REL_REMOVED).isEmpty());

        enqueueFragment(harness, "snap-1", 2, 3, row(2, "b2", "B"));
        harness.runner.run();
        final DiffHarness.Outputs outputs = harness.outputs();
        assertEquals(0, harness.runner.getQueueSize().getObjectCount());
        assertEquals(Set.of("5"), outputs.ids(DiffRecords.REL_ADDED));
        assertEquals(Set.of("2"), outputs.ids(DiffRecords.REL_CHANGED));
        assertEquals(Set.of("1", "3"), outputs.ids(DiffRecords.REL_UNCHANGED));
        assertEquals(Set.of("4"), outputs.ids(DiffRecords.REL_REMOVED), "removals only from the complete group");

        harness.runner.clearTransferState();
        runner(harness).setProperty(DiffRecords.FRAGMENT_WAIT_TIMEOUT, "0 sec");
        enqueueFragment(harness, "snap-2", 0, 2, row(1, "a", "A"));
        Thread.sleep(5);
        harness.runner.run();
        final List<MockFlowFile> incomplete = harness.outputs().wholeFailures();
        assertEquals(1, incomplete.size());
        incomplete.get(0).assertAttributeEquals(DiffRecords.ATTRIBUTE_FAILURE_REASON, "INCOMPLETE_SNAPSHOT");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void nullAndDuplicateKeysGoToFailureWithTheirReason(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        final DiffHarness.Outputs outputs = harness.run(row(1, "first@x.io", "A"), "{\"id\":null,\"email\":\"n@x.io\",\"name\":\"N\"}",
                "{\"email\":\"missing@x.io\",\"name\":\"M\"}", row(1, "second@x.io", "A"), row(2, "b@x.io", "B"));
        assertEquals(Set.of("1", "2"), outputs.ids(DiffRecords.REL_ADDED));
        assertEquals("first@x.io", text(outputs.records(DiffRecords.REL_ADDED).stream().filter(r -> r.get("id").asInt() == 1).findFirst().orElseThrow(), "email"),
                "the first occurrence of a duplicate key is diffed");
        final List<JsonNode> invalid = outputs.invalidRecords();
        assertEquals(List.of(DiffEngine.ERROR_DUPLICATE_KEY, DiffEngine.ERROR_NULL_KEY, DiffEngine.ERROR_NULL_KEY),
                invalid.stream().map(r -> text(r, SyncRecordFields.ERROR_CODE)).sorted().toList());
        assertEquals("second@x.io", text(invalid.stream().filter(r -> DiffEngine.ERROR_DUPLICATE_KEY.equals(text(r, SyncRecordFields.ERROR_CODE)))
                .findFirst().orElseThrow(), "email"));
        assertTrue(invalid.stream().allMatch(r -> text(r, SyncRecordFields.ERROR_MESSAGE) != null));
        assertEquals(3, harness.runner.getCounterValue("Records Invalid"));
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void unreadableContentGoesToFailureWhole(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        final DiffHarness.Outputs outputs = harness.run(row(1, "a@x.io", "A"), "{not json");
        assertEquals(1, outputs.wholeFailures().size());
        outputs.wholeFailures().get(0).assertAttributeEquals(DiffRecords.ATTRIBUTE_FAILURE_REASON, "UNREADABLE");
        assertTrue(outputs.records(DiffRecords.REL_ADDED).isEmpty(), "nothing of an unreadable snapshot is emitted");
        assertEquals(Set.of("1"), harness.run(row(1, "a@x.io", "A")).ids(DiffRecords.REL_ADDED), "and the aborted run left no open run behind");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void fullResyncSendsEverythingAndKeepsRemovals(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        runner(harness).setProperty(DiffRecords.MAX_REMOVAL_PERCENTAGE, "100");
        harness.accept(harness.run(row(1, "a", "A"), row(2, "b", "B"), row(3, "c", "C")).records(DiffRecords.REL_ADDED), null);
        runner(harness).setProperty(DiffRecords.FULL_RESYNC, "true");
        final DiffHarness.Outputs outputs = harness.run(row(1, "a", "A"), row(2, "b", "B"), row(4, "d", "D"));
        assertEquals(Set.of("1", "2"), outputs.ids(DiffRecords.REL_CHANGED));
        assertEquals(Set.of("4"), outputs.ids(DiffRecords.REL_ADDED));
        assertEquals(Set.of("3"), outputs.ids(DiffRecords.REL_REMOVED), "a full resync does not silently drop removals");
        assertEquals("[\"email\",\"name\"]", text(outputs.records(DiffRecords.REL_CHANGED).get(0), SyncRecordFields.CHANGED_FIELDS));
        assertTrue(outputs.records(DiffRecords.REL_UNCHANGED).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void changedFieldsNameExactlyTheFieldsThatChanged(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        harness.accept(harness.run(row(1, "a", "A"), row(2, "b", "B"), row(3, null, "C")).records(DiffRecords.REL_ADDED), null);
        final DiffHarness.Outputs outputs = harness.run(row(1, "a", "A2"), row(2, null, "B"), row(3, "c", "C"));
        final Map<Integer, String> changedFields = new TreeMap<>();
        for (final JsonNode record : outputs.records(DiffRecords.REL_CHANGED)) {
            changedFields.put(record.get("id").asInt(), text(record, SyncRecordFields.CHANGED_FIELDS));
        }
        assertEquals(Map.of(1, "[\"name\"]", 2, "[\"email\"]", 3, "[\"email\"]"), changedFields);
        final Map<String, String> hashes = SyncRecordFields.decodeFieldHashes(text(outputs.records(DiffRecords.REL_CHANGED).get(0), SyncRecordFields.FIELD_HASHES));
        assertFalseKey(hashes, "id");
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void versionAndExcludedFieldsLimitWhatCounts(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        runner(harness).setProperty(DiffRecords.EXCLUDED_FIELDS, "name");
        harness.accept(harness.run(row(1, "a", "A")).records(DiffRecords.REL_ADDED), null);
        assertEquals(Set.of("1"), harness.run(row(1, "a", "renamed")).ids(DiffRecords.REL_UNCHANGED), "an excluded field never makes a row changed");
        runner(harness).removeProperty(DiffRecords.EXCLUDED_FIELDS);
        runner(harness).setProperty(DiffRecords.VERSION_FIELDS, "email");
        assertEquals(Set.of("1"), harness.run(row(1, "a", "other")).ids(DiffRecords.REL_UNCHANGED));
        assertEquals(Set.of("1"), harness.run(row(1, "b", "other")).ids(DiffRecords.REL_CHANGED));
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void outputFlowFilesAreBounded(final StateBackend backend) throws Exception {
        final DiffHarness harness = new DiffHarness(backend, directory);
        runner(harness).setProperty(DiffRecords.MAX_RECORDS_PER_FLOWFILE, "2");
        harness.run(row(1, "a", "A"), row(2, "b", "B"), row(3, "c", "C"), row(4, "d", "D"), row(5, "e", "E"));
        final List<MockFlowFile> flowFiles = harness.runner.getFlowFilesForRelationship(DiffRecords.REL_ADDED);
        assertEquals(List.of("2", "2", "1"), flowFiles.stream().map(f -> f.getAttribute("record.count")).toList());
        flowFiles.forEach(f -> f.assertAttributeEquals("diff.added.count", "5"));
    }

    private static void assertFalseKey(final Map<String, String> hashes, final String key) {
        assertTrue(!hashes.containsKey(key), "key fields are not part of the version");
    }

    private static TestRunner runner(final DiffHarness harness) {
        return harness.runner;
    }

    private static void enqueueFragment(final DiffHarness harness, final String identifier, final int index, final int count, final String content) {
        harness.runner.enqueue((content + "\n").getBytes(StandardCharsets.UTF_8), Map.of("fragment.identifier", identifier,
                "fragment.index", String.valueOf(index), "fragment.count", String.valueOf(count)));
    }
}
