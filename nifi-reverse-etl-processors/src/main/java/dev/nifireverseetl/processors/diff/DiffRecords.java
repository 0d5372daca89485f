package dev.nifireverseetl.processors.diff;

import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.SystemResource;
import org.apache.nifi.annotation.behavior.SystemResourceConsideration;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

@Tags({"reverse etl", "diff", "change data capture", "sync", "record", "hubspot", "salesforce", "zendesk"})
@CapabilityDescription("Compares a model snapshot (the records of a FlowFile, or of a group of FlowFiles tied by fragment attributes) with the "
        + "row versions the destination last accepted, kept by a Sync State Service, and routes each record to added, changed or unchanged; "
        + "keys the state knows but the complete snapshot lacks become removal records. Every output record carries the _retl_* sync fields "
        + "(operation, canonical key, version, per-field hashes, changed fields, destination id, run id) the Put processors need to record "
        + "an acceptance of exactly this version. Removals are guarded: an empty snapshot, or more removals than the configured share or "
        + "count, stops the run before anything is emitted.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@SeeAlso(classNames = {"dev.nifireverseetl.state.embedded.EmbeddedSyncStateService", "dev.nifireverseetl.state.jdbc.JdbcSyncStateService"})
@SystemResourceConsideration(resource = SystemResource.DISK,
        description = "The keys of the snapshot being diffed are kept in the state store (on disk or in the database), not in the heap.")
@ReadsAttributes({
        @ReadsAttribute(attribute = "fragment.identifier", description = "FlowFiles with the same identifier form one snapshot"),
        @ReadsAttribute(attribute = "fragment.index", description = "The order of a FlowFile within its snapshot"),
        @ReadsAttribute(attribute = "fragment.count", description = "How many FlowFiles the snapshot has; it is diffed once all are queued")
})
@WritesAttributes({
        @WritesAttribute(attribute = "sync.id", description = "The Sync ID (the Put processors default their Sync ID to ${sync.id})"),
        @WritesAttribute(attribute = "diff.run.id", description = "The diff run that produced the FlowFile"),
        @WritesAttribute(attribute = "diff.operation", description = "added, changed, removed, unchanged or invalid"),
        @WritesAttribute(attribute = "record.count", description = "The number of records in the FlowFile"),
        @WritesAttribute(attribute = "mime.type", description = "The Record Writer's MIME type"),
        @WritesAttribute(attribute = "diff.added.count", description = "Added records in the whole run"),
        @WritesAttribute(attribute = "diff.changed.count", description = "Changed records in the whole run"),
        @WritesAttribute(attribute = "diff.removed.count", description = "Removal records in the whole run"),
        @WritesAttribute(attribute = "diff.unchanged.count", description = "Unchanged records in the whole run"),
        @WritesAttribute(attribute = "diff.invalid.count", description = "Invalid records in the whole run"),
        @WritesAttribute(attribute = "diff.failure.reason", description = "On FlowFiles routed to failure as a whole: EMPTY_SNAPSHOT, "
                + "REMOVAL_LIMIT, UNREADABLE, INCOMPLETE_SNAPSHOT or INVALID_FRAGMENTS"),
        @WritesAttribute(attribute = "diff.failure.message", description = "The explanation of a whole-FlowFile failure")
})
public class DiffRecords extends AbstractProcessor {

    public static final String ATTRIBUTE_SYNC_ID = "sync.id";
    public static final String ATTRIBUTE_FAILURE_REASON = "diff.failure.reason";
    public static final String ATTRIBUTE_FAILURE_MESSAGE = "diff.failure.message";

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the model snapshot")
            .identifiesControllerService(RecordReaderFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the output records; its schema must allow the _retl_* string fields (inherit the record schema)")
            .identifiesControllerService(RecordSetWriterFactory.class)
            .required(true)
            .build();

    public static final PropertyDescriptor SYNC_STATE_SERVICE = new PropertyDescriptor.Builder()
            .name("Sync State Service")
            .description("Holds the accepted row versions of the sync")
            .identifiesControllerService(SyncStateService.class)
            .required(true)
            .build();

    public static final PropertyDescriptor SYNC_ID = new PropertyDescriptor.Builder()
            .name("Sync ID")
            .description("Names the sync (one model to one destination object). Each sync has its own state; never share one between two "
                    + "destinations. May use FlowFile attributes (evaluated against the first FlowFile of a snapshot).")
            .required(true)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor KEY_FIELDS = new PropertyDescriptor.Builder()
            .name("Key Fields")
            .description("Comma-separated names of the fields that identify a row (several for a composite key), in key order")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor VERSION_FIELDS = new PropertyDescriptor.Builder()
            .name("Version Fields")
            .description("Comma-separated names of the fields that make up a row version (the mapped fields). Empty: every field except the "
                    + "key fields, the Excluded Fields and the _retl_* fields.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor EXCLUDED_FIELDS = new PropertyDescriptor.Builder()
            .name("Excluded Fields")
            .description("Comma-separated names of fields that never make a row changed (for example a load timestamp)")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor REMOVAL_HANDLING = new PropertyDescriptor.Builder()
            .name("Removal Handling")
            .description("What happens to keys that were accepted before and are missing from a complete snapshot")
            .required(true)
            .allowableValues(RemovalHandling.class)
            .defaultValue(RemovalHandling.EMIT)
            .build();

    public static final PropertyDescriptor MAX_REMOVAL_PERCENTAGE = new PropertyDescriptor.Builder()
            .name("Maximum Removal Percentage")
            .description("Delete-safety guard: when removals exceed this share of the accepted keys, the run stops before anything is emitted "
                    + "and the snapshot goes to failure. 100 disables the share check.")
            .required(true)
            .defaultValue("20")
            .addValidator(StandardValidators.createNonNegativeFloatingPointValidator(100))
            .dependsOn(REMOVAL_HANDLING, RemovalHandling.EMIT)
            .build();

    public static final PropertyDescriptor MAX_REMOVAL_COUNT = new PropertyDescriptor.Builder()
            .name("Maximum Removal Count")
            .description("Delete-safety guard: when there are more removals than this, the run stops before anything is emitted. Empty: no "
                    + "count limit.")
            .required(false)
            .addValidator(StandardValidators.NON_NEGATIVE_INTEGER_VALIDATOR)
            .dependsOn(REMOVAL_HANDLING, RemovalHandling.EMIT)
            .build();

    public static final PropertyDescriptor FULL_RESYNC = new PropertyDescriptor.Builder()
            .name("Full Resync")
            .description("Treat every row of the snapshot as changed (all its fields), for example after the destination was restored. "
                    + "Removals are still computed and guarded as usual. Set it back to false after one run.")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("false")
            .build();

    public static final PropertyDescriptor MAX_RECORDS_PER_FLOWFILE = new PropertyDescriptor.Builder()
            .name("Max Records Per FlowFile")
            .description("Output FlowFiles hold at most this many records, so back pressure on the outputs can act")
            .required(true)
            .defaultValue("10000")
            .addValidator(StandardValidators.POSITIVE_INTEGER_VALIDATOR)
            .build();

    public static final PropertyDescriptor FRAGMENT_WAIT_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Fragment Wait Timeout")
            .description("How long the first FlowFile of a fragmented snapshot may wait for its other fragments before the queued ones go to "
                    + "failure as an incomplete snapshot")
            .required(true)
            .defaultValue("10 min")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .build();

    public static final Relationship REL_ADDED = new Relationship.Builder().name("added")
            .description("Rows whose key has no accepted version").build();
    public static final Relationship REL_CHANGED = new Relationship.Builder().name("changed")
            .description("Rows whose version differs from the accepted one; _retl_changed_fields names the changed fields").build();
    public static final Relationship REL_REMOVED = new Relationship.Builder().name("removed")
            .description("Keys accepted before and missing from the complete snapshot: key fields and _retl_* fields").build();
    public static final Relationship REL_UNCHANGED = new Relationship.Builder().name("unchanged")
            .description("Rows equal to the accepted version (auto-terminate it unless you need them)").build();
    public static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("Invalid records (null or duplicate keys) with _retl_error_code and _retl_error_message, and whole snapshots that "
                    + "could not be read or were stopped by the delete-safety guard (with diff.failure.reason)").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(RECORD_READER, RECORD_WRITER, SYNC_STATE_SERVICE, SYNC_ID, KEY_FIELDS,
            VERSION_FIELDS, EXCLUDED_FIELDS, REMOVAL_HANDLING, MAX_REMOVAL_PERCENTAGE, MAX_REMOVAL_COUNT, FULL_RESYNC, MAX_RECORDS_PER_FLOWFILE,
            FRAGMENT_WAIT_TIMEOUT);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_ADDED, REL_CHANGED, REL_REMOVED, REL_UNCHANGED, REL_FAILURE);
    private static final int LOOKUP_BATCH_SIZE = 2_000;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    public void onTrigger(final ProcessContext context, final ProcessSession session) {
        final FlowFile first = session.get();
        if (first == null) {
            return;
        }
        final SnapshotGroup group = SnapshotGroup.collect(first, session,
                context.getProperty(FRAGMENT_WAIT_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS));
        switch (group.status()) {
            case WAITING -> {
                session.rollback(false);
                context.yield();
                return;
            }
            case INVALID -> {
                routeWholeToFailure(session, group.flowFiles(), group.failureReason(), group.failureMessage());
                return;
            }
            default -> {
            }
        }
        diff(context, session, group.flowFiles());
    }

    private void diff(final ProcessContext context, final ProcessSession session, final List<FlowFile> flowFiles) {
        final String syncId = context.getProperty(SYNC_ID).evaluateAttributeExpressions(flowFiles.get(0)).getValue();
        final SyncStateService state = context.getProperty(SYNC_STATE_SERVICE).asControllerService(SyncStateService.class);
        final RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        final RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        final boolean keepUnchanged = !context.isAutoTerminated(REL_UNCHANGED);
        final SessionDiffOutput output = new SessionDiffOutput(session, flowFiles, writerFactory, getLogger(),
                context.getProperty(MAX_RECORDS_PER_FLOWFILE).asInteger(), DiffRecords::relationshipOf,
                route -> route != DiffRoute.UNCHANGED || keepUnchanged);
        final List<SnapshotPart> parts = new ArrayList<>();
        final List<InputStream> opened = new ArrayList<>();
        for (final FlowFile flowFile : flowFiles) {
            parts.add(() -> {
                final InputStream in = session.read(flowFile);
                opened.add(in);
                return readerFactory.createRecordReader(flowFile, in, getLogger());
            });
        }
        final long started = System.nanoTime();
        final DiffSummary summary;
        try {
            summary = new DiffEngine(settings(context), state).run(syncId, parts, output);
        } catch (final MalformedRecordException | SchemaNotFoundException | IOException e) {
            output.discard();
            closeQuietly(opened);
            getLogger().error("Cannot read the snapshot of sync {} ({} FlowFiles); routing it to failure", syncId, flowFiles.size(), e);
            routeWholeToFailure(session, flowFiles, "UNREADABLE", "The content cannot be read as records: " + e.getMessage());
            return;
        } catch (final SyncStateException e) {
            output.discard();
            closeQuietly(opened);
            getLogger().error("The sync state of sync {} is not available; the snapshot stays queued", syncId, e);
            session.rollback(true);
            context.yield();
            return;
        }
        closeQuietly(opened);
        if (summary.stopped()) {
            output.discard();
            getLogger().error("Delete-safety guard stopped run {} of sync {}: {}. Nothing was emitted; the snapshot went to failure. "
                    + "Check the model query, or raise the removal limits for one run if the removals are intended.", summary.runId(), syncId, summary.stopMessage());
            routeWholeToFailure(session, flowFiles, summary.stopReason().name(), summary.stopMessage());
            return;
        }
        try {
            output.transferAll(route -> outputAttributes(syncId, summary, route));
        } catch (final IOException e) {
            output.discard();
            getLogger().error("Cannot finish the output of sync {}; routing the snapshot to failure", syncId, e);
            routeWholeToFailure(session, flowFiles, "UNREADABLE", "The output could not be written: " + e.getMessage());
            return;
        }
        session.remove(flowFiles);
        session.adjustCounter("Records Added", summary.added(), false);
        session.adjustCounter("Records Changed", summary.changed(), false);
        session.adjustCounter("Records Removed", summary.removed(), false);
        session.adjustCounter("Records Unchanged", summary.unchanged(), false);
        session.adjustCounter("Records Invalid", summary.invalid(), false);
        getLogger().info("Sync {} run {}: {} added, {} changed, {} removed, {} unchanged, {} invalid in {} ms", syncId, summary.runId(), summary.added(),
                summary.changed(), summary.removed(), summary.unchanged(), summary.invalid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static Map<String, String> outputAttributes(final String syncId, final DiffSummary summary, final DiffRoute route) {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put(ATTRIBUTE_SYNC_ID, syncId);
        attributes.put("diff.run.id", summary.runId());
        attributes.put("diff.operation", route == DiffRoute.INVALID ? "invalid" : route.operation().value());
        attributes.put("diff.added.count", String.valueOf(summary.added()));
        attributes.put("diff.changed.count", String.valueOf(summary.changed()));
        attributes.put("diff.removed.count", String.valueOf(summary.removed()));
        attributes.put("diff.unchanged.count", String.valueOf(summary.unchanged()));
        attributes.put("diff.invalid.count", String.valueOf(summary.invalid()));
        return attributes;
    }

    private void routeWholeToFailure(final ProcessSession session, final List<FlowFile> flowFiles, final String reason, final String message) {
        for (final FlowFile flowFile : flowFiles) {
            FlowFile failed = session.putAttribute(flowFile, ATTRIBUTE_FAILURE_REASON, reason);
            failed = session.putAttribute(failed, ATTRIBUTE_FAILURE_MESSAGE, message);
            session.transfer(session.penalize(failed), REL_FAILURE);
        }
        session.adjustCounter("Snapshots Failed", 1, false);
    }

    private static DiffSettings settings(final ProcessContext context) {
        final boolean emitRemovals = context.getProperty(REMOVAL_HANDLING).asAllowableValue(RemovalHandling.class) == RemovalHandling.EMIT;
        final Double maxPercent = context.getProperty(MAX_REMOVAL_PERCENTAGE).asDouble();
        final Long maxCount = context.getProperty(MAX_REMOVAL_COUNT).asLong();
        return new DiffSettings(names(context.getProperty(KEY_FIELDS).getValue()), names(context.getProperty(VERSION_FIELDS).getValue()),
                names(context.getProperty(EXCLUDED_FIELDS).getValue()), emitRemovals, maxPercent == null ? 100.0 : maxPercent,
                maxCount == null ? -1 : maxCount, context.getProperty(FULL_RESYNC).asBoolean(), LOOKUP_BATCH_SIZE);
    }

    static List<String> names(final String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    private static Relationship relationshipOf(final DiffRoute route) {
        return switch (route) {
            case ADDED -> REL_ADDED;
            case CHANGED -> REL_CHANGED;
            case REMOVED -> REL_REMOVED;
            case UNCHANGED -> REL_UNCHANGED;
            case INVALID -> REL_FAILURE;
        };
    }

    private void closeQuietly(final List<InputStream> streams) {
        for (final InputStream in : streams) {
            try {
                in.close();
            } catch (final IOException e) {
                getLogger().debug("Closing a snapshot stream failed", e);
            }
        }
        streams.clear();
    }
}
