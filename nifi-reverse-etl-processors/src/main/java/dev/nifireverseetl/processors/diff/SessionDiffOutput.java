package dev.nifireverseetl.processors.diff;

import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the diff's records into child FlowFiles of the snapshot, one open writer per route, starting a new FlowFile
 * after {@code maxRecordsPerFlowFile} records or when the record schema changes, so back pressure can act on the
 * outputs. Nothing is transferred until {@link #transferAll}; {@link #discard} removes every child.
 */
final class SessionDiffOutput implements DiffOutput {

    private final ProcessSession session;
    private final List<FlowFile> parents;
    private final RecordSetWriterFactory writerFactory;
    private final ComponentLog logger;
    private final int maxRecordsPerFlowFile;
    private final Function<DiffRoute, Relationship> relationships;
    private final Function<DiffRoute, Boolean> wanted;
    private final Map<DiffRoute, OpenChild> open = new EnumMap<>(DiffRoute.class);
    private final List<FinishedChild> finished = new ArrayList<>();

    SessionDiffOutput(final ProcessSession session, final List<FlowFile> parents, final RecordSetWriterFactory writerFactory, final ComponentLog logger,
                      final int maxRecordsPerFlowFile, final Function<DiffRoute, Relationship> relationships, final Function<DiffRoute, Boolean> wanted) {
        this.session = session;
        this.parents = parents;
        this.writerFactory = writerFactory;
        this.logger = logger;
        this.maxRecordsPerFlowFile = maxRecordsPerFlowFile;
        this.relationships = relationships;
        this.wanted = wanted;
    }

    @Override
    public boolean wants(final DiffRoute route) {
        return wanted.apply(route);
    }

    @Override
    public void write(final DiffRoute route, final Record record) throws IOException {
        OpenChild child = open.get(route);
        if (child != null && (child.count >= maxRecordsPerFlowFile || child.schema != record.getSchema())) {
            finish(route, child);
            child = null;
        }
        if (child == null) {
            child = openChild(record.getSchema());
            open.put(route, child);
        }
        child.writer.write(record);
        child.count++;
    }

    private OpenChild openChild(final RecordSchema schema) throws IOException {
        final FlowFile flowFile = parents.size() == 1 ? session.create(parents.get(0)) : session.create(parents);
        final OutputStream out = session.write(flowFile);
        try {
            final RecordSchema writeSchema = writerFactory.getSchema(parents.get(0).getAttributes(), schema);
            final RecordSetWriter writer = writerFactory.createWriter(logger, writeSchema, out, flowFile);
            writer.beginRecordSet();
            return new OpenChild(flowFile, out, writer, schema);
        } catch (final SchemaNotFoundException e) {
            out.close();
            session.remove(flowFile);
            throw new IOException("The Record Writer has no schema for the output: " + e.getMessage(), e);
        }
    }

    private void finish(final DiffRoute route, final OpenChild child) throws IOException {
        final WriteResult result = child.writer.finishRecordSet();
        final String mimeType = child.writer.getMimeType();
        child.writer.close();
        child.out.close();
        final Map<String, String> attributes = new HashMap<>(result.getAttributes());
        attributes.put("record.count", String.valueOf(result.getRecordCount()));
        attributes.put(CoreAttributes.MIME_TYPE.key(), mimeType);
        finished.add(new FinishedChild(route, session.putAllAttributes(child.flowFile, attributes), result.getRecordCount()));
    }

    /**
     * Finishes the open writers and transfers every child with the common attributes.
     *
     * @return the number of FlowFiles transferred per route
     */
    Map<DiffRoute, Integer> transferAll(final Function<DiffRoute, Map<String, String>> commonAttributes) throws IOException {
        for (final Map.Entry<DiffRoute, OpenChild> entry : new ArrayList<>(open.entrySet())) {
            finish(entry.getKey(), entry.getValue());
        }
        open.clear();
        final Map<DiffRoute, Integer> counts = new EnumMap<>(DiffRoute.class);
        for (final FinishedChild child : finished) {
            final FlowFile flowFile = session.putAllAttributes(child.flowFile, commonAttributes.apply(child.route));
            session.transfer(flowFile, relationships.apply(child.route));
            counts.merge(child.route, 1, Integer::sum);
        }
        finished.clear();
        return counts;
    }

    /**
     * Removes every child written so far (the run stopped or failed).
     */
    void discard() {
        for (final OpenChild child : open.values()) {
            try {
                child.writer.close();
                child.out.close();
            } catch (final IOException e) {
                logger.debug("Closing a discarded output failed", e);
            }
            session.remove(child.flowFile);
        }
        open.clear();
        for (final FinishedChild child : finished) {
            session.remove(child.flowFile);
        }
        finished.clear();
    }

    private static final class OpenChild {
        private final FlowFile flowFile;
        private final OutputStream out;
        private final RecordSetWriter writer;
        private final RecordSchema schema;
        private int count;

        private OpenChild(final FlowFile flowFile, final OutputStream out, final RecordSetWriter writer, final RecordSchema schema) {
            this.flowFile = flowFile;
            this.out = out;
            this.writer = writer;
            this.schema = schema;
        }
    }

    private record FinishedChild(DiffRoute route, FlowFile flowFile, long records) {
    }
}
