package dev.nifireverseetl.processors.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.Failure;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.testsupport.records.JsonLines;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A DiffRecords TestRunner on one state backend, with helpers to run snapshots, read the outputs and play the Put
 * processor (recordAccepted / recordFailed with exactly the fields DiffRecords emitted).
 */
final class DiffHarness {

    static final String SYNC = "customers-to-hubspot";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final TestRunner runner;
    final SyncStateService state;

    DiffHarness(final StateBackend backend, final Path directory) throws Exception {
        this(backend, directory, "1 hour");
    }

    DiffHarness(final StateBackend backend, final Path directory, final String abandonedRunTimeout) throws Exception {
        runner = TestRunners.newTestRunner(DiffRecords.class);
        JsonLines.register(runner, DiffRecords.RECORD_READER.getName(), DiffRecords.RECORD_WRITER.getName());
        state = backend.register(runner, directory, abandonedRunTimeout);
        runner.setProperty(DiffRecords.SYNC_ID, SYNC);
        runner.setProperty(DiffRecords.KEY_FIELDS, "id");
    }

    /**
     * Runs one snapshot (JSON lines) and checks conservation: every input record left through exactly one relationship.
     */
    Outputs run(final String... lines) {
        runner.clearTransferState();
        final String content = lines.length == 0 ? "" : String.join("\n", lines) + "\n";
        runner.enqueue(content.getBytes(StandardCharsets.UTF_8), Map.of());
        runner.run();
        final Outputs outputs = outputs();
        final long wholeFailures = outputs.wholeFailureRecords();
        assertEquals(lines.length, outputs.records(DiffRecords.REL_ADDED).size() + outputs.records(DiffRecords.REL_CHANGED).size()
                + outputs.records(DiffRecords.REL_UNCHANGED).size() + outputs.invalidRecords().size() + wholeFailures,
                "records in = records out (added + changed + unchanged + failure)");
        return outputs;
    }

    Outputs outputs() {
        return new Outputs(runner);
    }

    /**
     * Plays a Put processor that the destination accepted: records exactly the emitted version.
     */
    void accept(final List<JsonNode> records, final String destinationIdPrefix) {
        final List<Acceptance> acceptances = new ArrayList<>();
        for (final JsonNode record : records) {
            final String key = record.get(SyncRecordFields.KEY).asText();
            acceptances.add(new Acceptance(key, record.get(SyncRecordFields.VERSION).asText(),
                    SyncRecordFields.decodeFieldHashes(text(record, SyncRecordFields.FIELD_HASHES)),
                    destinationIdPrefix == null ? null : destinationIdPrefix + record.get("id").asText(), Boolean.TRUE));
        }
        state.recordAccepted(SYNC, acceptances);
    }

    void fail(final List<JsonNode> records, final String reason) {
        final List<Failure> failures = new ArrayList<>();
        for (final JsonNode record : records) {
            failures.add(new Failure(record.get(SyncRecordFields.KEY).asText(), record.get(SyncRecordFields.VERSION).asText(), reason));
        }
        state.recordFailed(SYNC, failures);
    }

    KeyState stateOf(final long id) {
        final String key = "[\"" + id + "\"]";
        return state.getStates(SYNC, List.of(key)).get(key);
    }

    static String text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static String row(final long id, final String email, final String name) {
        return "{\"id\":" + id + ",\"email\":" + (email == null ? "null" : "\"" + email + "\"") + ",\"name\":\"" + name + "\"}";
    }

    /**
     * The FlowFiles a run produced, parsed.
     */
    static final class Outputs {
        private final TestRunner runner;

        Outputs(final TestRunner runner) {
            this.runner = runner;
        }

        List<JsonNode> records(final Relationship relationship) {
            final List<JsonNode> records = new ArrayList<>();
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                if (flowFile.getAttribute(DiffRecords.ATTRIBUTE_FAILURE_REASON) == null) {
                    records.addAll(parse(flowFile));
                }
            }
            return records;
        }

        List<JsonNode> invalidRecords() {
            return records(DiffRecords.REL_FAILURE);
        }

        List<MockFlowFile> wholeFailures() {
            return runner.getFlowFilesForRelationship(DiffRecords.REL_FAILURE).stream()
                    .filter(flowFile -> flowFile.getAttribute(DiffRecords.ATTRIBUTE_FAILURE_REASON) != null).toList();
        }

        long wholeFailureRecords() {
            long count = 0;
            for (final MockFlowFile flowFile : wholeFailures()) {
                count += flowFile.getContent().lines().filter(line -> !line.isBlank()).count();
            }
            return count;
        }

        JsonNode only(final Relationship relationship) {
            final List<JsonNode> records = records(relationship);
            assertEquals(1, records.size(), "records on " + relationship.getName());
            return records.get(0);
        }

        Set<String> ids(final Relationship relationship) {
            final TreeSet<String> ids = new TreeSet<>();
            for (final JsonNode record : records(relationship)) {
                ids.add(record.get("id").asText());
            }
            return ids;
        }

        private static List<JsonNode> parse(final MockFlowFile flowFile) {
            final List<JsonNode> records = new ArrayList<>();
            for (final String line : flowFile.getContent().split("\n")) {
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
    }
}
