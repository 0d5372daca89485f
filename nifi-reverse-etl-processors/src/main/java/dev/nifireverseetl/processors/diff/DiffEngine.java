package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.RowKey;
import dev.nifireverseetl.state.SeenKeys;
import dev.nifireverseetl.state.SyncRecordFields;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateStore;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The diff of one model snapshot against the sync state, outside any NiFi session (DiffRecords and the benchmark both
 * drive it). It streams: records are read, hashed and looked up in batches of {@link DiffSettings#batchSize()}, and
 * the keys seen live in the state store, so heap use does not grow with the snapshot.
 * <p>
 * Each row is compared with the version the destination <em>accepted</em>, never with a proposed one: no accepted
 * version means added, the same version unchanged, another version changed (with the fields whose hashes differ).
 * The versions emitted as added or changed are recorded as proposed. Keys with accepted state that the snapshot lacks
 * are removals, guarded by the empty-snapshot and removal-limit checks before any is emitted.
 */
public final class DiffEngine {

    public static final String ERROR_NULL_KEY = "NULL_KEY";
    public static final String ERROR_DUPLICATE_KEY = "DUPLICATE_KEY";

    private final DiffSettings settings;
    private final SyncStateStore store;
    private final KeyExtractor keyExtractor;
    private final Set<String> keyFieldSet;

    public DiffEngine(final DiffSettings settings, final SyncStateStore store) {
        this.settings = settings;
        this.store = store;
        this.keyExtractor = new KeyExtractor(settings.keyFields());
        this.keyFieldSet = Set.copyOf(settings.keyFields());
    }

    /**
     * Diffs a complete snapshot made of the given parts, in order.
     *
     * @return the figures; a stopped summary means the caller must discard everything written to the output
     * @throws MalformedRecordException when a part cannot be read (the run is aborted; discard the output)
     */
    public DiffSummary run(final String syncId, final List<SnapshotPart> parts, final DiffOutput output)
            throws IOException, MalformedRecordException, SchemaNotFoundException {
        final long startedAt = System.currentTimeMillis();
        try (SyncRun run = store.beginRun(syncId)) {
            final RunPass pass = new RunPass(run, output);
            for (final SnapshotPart part : parts) {
                try (RecordReader reader = part.open()) {
                    Record record;
                    while ((record = reader.nextRecord()) != null) {
                        pass.accept(record);
                    }
                }
                pass.flush();
            }
            if (settings.emitRemovals()) {
                final long removals = run.countUnseenAccepted();
                if (removals > 0) {
                    final String stop = guard(pass, removals);
                    if (stop != null) {
                        return pass.summary(pass.validRows == 0 ? DiffSummary.StopReason.EMPTY_SNAPSHOT : DiffSummary.StopReason.REMOVAL_LIMIT, stop);
                    }
                    pass.emitRemovals();
                }
            }
            run.complete(new SyncRunStatistics(run.runId(), pass.added, pass.changed, pass.removed, pass.unchanged, pass.invalid,
                    startedAt, System.currentTimeMillis()));
            return pass.summary(null, null);
        } catch (final UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The canonical key of a row as a run computes it (for tools that build or check state without a run, such as
     * the diff benchmark's accepted first run).
     *
     * @return the key, or null when a key field is null, missing, empty or not a finite number
     */
    public String canonicalKey(final Record record) {
        return keyExtractor.canonicalKey(record);
    }

    /**
     * The fields whose values make up the version of rows of this schema, sorted by name: the configured version
     * fields, or else every field but the key and sync fields; without the excluded fields.
     */
    public List<String> versionFields(final RecordSchema schema) {
        final TreeSet<String> names = new TreeSet<>();
        if (settings.versionFields().isEmpty()) {
            for (final String name : schema.getFieldNames()) {
                if (!keyFieldSet.contains(name) && !SyncRecordFields.isSyncField(name)) {
                    names.add(name);
                }
            }
        } else {
            names.addAll(settings.versionFields());
        }
        settings.excludedFields().forEach(names::remove);
        return List.copyOf(names);
    }

    /**
     * @return why the removals must not happen, or null when they may
     */
    private String guard(final RunPass pass, final long removals) {
        if (pass.validRows == 0) {
            return "The snapshot holds no valid row, so every one of the " + removals + " accepted keys would be removed; "
                    + "an empty snapshot never produces removals";
        }
        final long acceptedBefore = removals + pass.seenAccepted;
        final double percent = 100.0 * removals / acceptedBefore;
        if (settings.maxRemovalCount() >= 0 && removals > settings.maxRemovalCount()) {
            return removals + " removals exceed the Maximum Removal Count of " + settings.maxRemovalCount();
        }
        if (percent > settings.maxRemovalPercent()) {
            return String.format("%d removals are %.2f%% of the %d accepted keys, above the Maximum Removal Percentage of %s%%",
                    removals, percent, acceptedBefore, settings.maxRemovalPercent());
        }
        return null;
    }

    /**
     * The mutable part of one run: the batch being filled, the figures, the schema caches.
     */
    private final class RunPass {
        private final SyncRun run;
        private final DiffOutput output;
        private final String runId;
        private final RowHasher hasher = new RowHasher();
        private final List<Pending> batch = new ArrayList<>();
        private final Map<String, String> quotedNames = new HashMap<>();
        private RecordSchema cachedInput;
        private RecordSchema cachedOutput;
        private List<String> cachedVersionFields;
        private RecordSchema lastInputSchema;
        private long added;
        private long changed;
        private long removed;
        private long unchanged;
        private long invalid;
        private long validRows;
        private long seenAccepted;

        private RunPass(final SyncRun run, final DiffOutput output) {
            this.run = run;
            this.output = output;
            this.runId = run.runId();
        }

        void accept(final Record record) throws IOException {
            final String key = keyExtractor.canonicalKey(record);
            if (key == null) {
                writeInvalid(record, null, ERROR_NULL_KEY, "Key field '" + keyExtractor.firstMissingField(record) + "' is null, missing, empty or not a finite number");
                return;
            }
            batch.add(new Pending(record, key, hasher.hash(record, versionFields(record.getSchema()))));
            if (batch.size() >= settings.batchSize()) {
                flush();
            }
        }

        void flush() throws IOException {
            if (batch.isEmpty()) {
                return;
            }
            final Set<String> inBatch = new HashSet<>();
            final List<String> unique = new ArrayList<>(batch.size());
            for (final Pending pending : batch) {
                if (inBatch.add(pending.key)) {
                    unique.add(pending.key);
                } else {
                    pending.duplicate = true;
                }
            }
            final Map<String, String> currentVersions = new HashMap<>();
            if (!settings.fullResync()) {
                for (final Pending pending : batch) {
                    if (!pending.duplicate) {
                        currentVersions.put(pending.key, pending.version.version());
                    }
                }
            }
            final SeenKeys seen = run.markSeen(unique, currentVersions);
            final Map<String, String> proposals = new HashMap<>();
            for (final Pending pending : batch) {
                if (pending.duplicate || seen.alreadySeen().contains(pending.key)) {
                    pending.duplicate = true;
                    continue;
                }
                final KeyState state = seen.states().get(pending.key);
                pending.state = state;
                final String current = pending.version.version();
                if (state == null || !state.isAccepted()) {
                    pending.route = DiffRoute.ADDED;
                } else {
                    seenAccepted++;
                    pending.route = current.equals(state.acceptedVersion()) && !settings.fullResync() ? DiffRoute.UNCHANGED : DiffRoute.CHANGED;
                }
                if (pending.route != DiffRoute.UNCHANGED
                        || state.proposedVersion() != null && !current.equals(state.proposedVersion())) {
                    // an unchanged row whose proposal differs re-proposes its accepted version: queued older records become stale
                    proposals.put(pending.key, current);
                }
            }
            if (!proposals.isEmpty()) {
                run.recordProposed(proposals);
            }
            for (final Pending pending : batch) {
                if (pending.duplicate) {
                    writeInvalid(pending.record, pending.key, ERROR_DUPLICATE_KEY,
                            "The key occurs more than once in the snapshot; its first occurrence was diffed, this one was not");
                } else {
                    writeRow(pending);
                }
            }
            batch.clear();
        }

        private void writeRow(final Pending pending) throws IOException {
            validRows++;
            switch (pending.route) {
                case ADDED -> added++;
                case CHANGED -> changed++;
                default -> unchanged++;
            }
            if (!output.wants(pending.route)) {
                return;
            }
            final Map<String, Object> values = new LinkedHashMap<>(pending.record.toMap());
            values.put(SyncRecordFields.OPERATION, pending.route.operation().value());
            values.put(SyncRecordFields.KEY, pending.key);
            values.put(SyncRecordFields.VERSION, pending.version.version());
            values.put(SyncRecordFields.FIELD_HASHES, fieldHashesJson(pending.version.fieldHashes()));
            if (pending.route == DiffRoute.CHANGED) {
                values.put(SyncRecordFields.CHANGED_FIELDS, changedFields(pending));
            }
            if (pending.state != null && pending.state.destinationId() != null) {
                values.put(SyncRecordFields.DESTINATION_ID, pending.state.destinationId());
            }
            values.put(SyncRecordFields.RUN_ID, runId);
            output.write(pending.route, new MapRecord(outputSchema(pending.record.getSchema()), values));
        }

        private String changedFields(final Pending pending) {
            final Map<String, String> accepted = pending.state.acceptedFieldHashes();
            if (accepted.isEmpty()) {
                return null;
            }
            final Map<String, String> current = pending.version.fieldHashes();
            final TreeSet<String> names = new TreeSet<>();
            for (final Map.Entry<String, String> field : current.entrySet()) {
                if (settings.fullResync() || !field.getValue().equals(accepted.get(field.getKey()))) {
                    names.add(field.getKey());
                }
            }
            for (final String name : accepted.keySet()) {
                if (!current.containsKey(name)) {
                    names.add(name);
                }
            }
            return SyncRecordFields.encodeFieldNames(new ArrayList<>(names));
        }

        private void writeInvalid(final Record record, final String key, final String code, final String message) throws IOException {
            invalid++;
            final Map<String, Object> values = new LinkedHashMap<>(record.toMap());
            values.put(SyncRecordFields.KEY, key);
            values.put(SyncRecordFields.RUN_ID, runId);
            values.put(SyncRecordFields.ERROR_CODE, code);
            values.put(SyncRecordFields.ERROR_MESSAGE, message);
            output.write(DiffRoute.INVALID, new MapRecord(outputSchema(record.getSchema()), values));
        }

        void emitRemovals() throws IOException {
            final RecordSchema removalSchema = SyncSchemas.removalSchema(settings.keyFields(), lastInputSchema);
            final String removalVersion = SyncRecordFields.removalVersion(runId);
            final Map<String, String> proposals = new HashMap<>();
            try {
                run.forEachUnseenAccepted(state -> {
                    removed++;
                    proposals.put(state.key(), removalVersion);
                    if (proposals.size() >= settings.batchSize()) {
                        run.recordProposed(proposals);
                        proposals.clear();
                    }
                    try {
                        output.write(DiffRoute.REMOVED, removalRecord(state, removalSchema, removalVersion));
                    } catch (final IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (final UncheckedIOException e) {
                throw e.getCause();
            }
            if (!proposals.isEmpty()) {
                run.recordProposed(proposals);
            }
        }

        private Record removalRecord(final KeyState state, final RecordSchema removalSchema, final String removalVersion) {
            final Map<String, Object> values = new LinkedHashMap<>();
            final List<String> keyValues = RowKey.parse(state.key()).values();
            for (int i = 0; i < settings.keyFields().size() && i < keyValues.size(); i++) {
                final String field = settings.keyFields().get(i);
                values.put(field, keyValue(keyValues.get(i), removalSchema.getDataType(field).map(type -> type.getFieldType()).orElse(RecordFieldType.STRING)));
            }
            values.put(SyncRecordFields.OPERATION, SyncRecordFields.Operation.REMOVED.value());
            values.put(SyncRecordFields.KEY, state.key());
            values.put(SyncRecordFields.VERSION, removalVersion);
            values.put(SyncRecordFields.DESTINATION_ID, state.destinationId());
            values.put(SyncRecordFields.RUN_ID, runId);
            return new MapRecord(removalSchema, values);
        }

        private Object keyValue(final String text, final RecordFieldType type) {
            try {
                return switch (type) {
                    case INT, SHORT, BYTE -> Integer.parseInt(text);
                    case LONG -> Long.parseLong(text);
                    case BIGINT -> new BigInteger(text);
                    default -> text;
                };
            } catch (final NumberFormatException e) {
                return text;
            }
        }

        private List<String> versionFields(final RecordSchema schema) {
            if (schema != cachedInput) {
                cacheSchema(schema);
            }
            return cachedVersionFields;
        }

        private RecordSchema outputSchema(final RecordSchema schema) {
            if (schema != cachedInput) {
                cacheSchema(schema);
            }
            return cachedOutput;
        }

        private void cacheSchema(final RecordSchema schema) {
            cachedInput = schema;
            lastInputSchema = schema;
            cachedOutput = SyncSchemas.withSyncFields(schema);
            cachedVersionFields = DiffEngine.this.versionFields(schema);
        }

        private String fieldHashesJson(final Map<String, String> fieldHashes) {
            final StringBuilder json = new StringBuilder(fieldHashes.size() * 32 + 2).append('{');
            boolean first = true;
            for (final Map.Entry<String, String> entry : fieldHashes.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                json.append(quotedNames.computeIfAbsent(entry.getKey(), JsonText::quote)).append(":\"").append(entry.getValue()).append('"');
            }
            return json.append('}').toString();
        }

        DiffSummary summary(final DiffSummary.StopReason reason, final String message) {
            return new DiffSummary(runId, added, changed, removed, unchanged, invalid, reason, message);
        }
    }

    /**
     * One row waiting for its batch's state lookup.
     */
    private static final class Pending {
        private final Record record;
        private final String key;
        private final RowVersion version;
        private boolean duplicate;
        private KeyState state;
        private DiffRoute route;

        private Pending(final Record record, final String key, final RowVersion version) {
            this.record = record;
            this.key = key;
            this.version = version;
        }
    }
}
