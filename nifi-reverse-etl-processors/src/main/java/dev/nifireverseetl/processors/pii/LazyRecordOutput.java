package dev.nifireverseetl.processors.pii;

import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * One output of a record-splitting processor (as in ValidateRecord): the child FlowFile and its writer are created on
 * the first record, so an input whose records all go one way produces one FlowFile. Records are streamed, never held.
 */
final class LazyRecordOutput {

    private final ProcessSession session;
    private final FlowFile original;
    private final RecordSetWriterFactory writerFactory;
    private final RecordSchema schema;
    private final ComponentLog logger;

    private FlowFile child;
    private OutputStream out;
    private RecordSetWriter writer;

    LazyRecordOutput(final ProcessSession session, final FlowFile original, final RecordSetWriterFactory writerFactory, final RecordSchema schema,
                     final ComponentLog logger) {
        this.session = session;
        this.original = original;
        this.writerFactory = writerFactory;
        this.schema = schema;
        this.logger = logger;
    }

    void write(final Record record) throws IOException, SchemaNotFoundException {
        open();
        writer.write(record);
    }

    /**
     * Creates the FlowFile even when no record was written (for an input without records).
     */
    void open() throws IOException, SchemaNotFoundException {
        if (writer != null) {
            return;
        }
        child = session.create(original);
        out = session.write(child);
        writer = writerFactory.createWriter(logger, schema, out, original.getAttributes());
        writer.beginRecordSet();
    }

    boolean isOpen() {
        return writer != null;
    }

    /**
     * Finishes the record set and closes the content stream.
     *
     * @return the child with the writer's attributes, {@code record.count} and {@code mime.type}, plus the given ones;
     * null when nothing was opened
     */
    FlowFile finish(final Map<String, String> extraAttributes) throws IOException {
        if (writer == null) {
            return null;
        }
        final WriteResult result;
        final String mimeType;
        try {
            result = writer.finishRecordSet();
            mimeType = writer.getMimeType();
        } finally {
            writer.close();
            out.close();
        }
        final Map<String, String> attributes = new HashMap<>(result.getAttributes());
        attributes.put("record.count", String.valueOf(result.getRecordCount()));
        attributes.put(CoreAttributes.MIME_TYPE.key(), mimeType);
        attributes.putAll(extraAttributes);
        child = session.putAllAttributes(child, attributes);
        return child;
    }

    /**
     * Drops the child (after an input that could not be read), closing what is open.
     */
    void discard() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (final IOException e) {
            logger.debug("Closing a discarded record writer failed", e);
        }
        try {
            out.close();
        } catch (final IOException e) {
            logger.debug("Closing a discarded content stream failed", e);
        }
        session.remove(child);
        writer = null;
    }
}
