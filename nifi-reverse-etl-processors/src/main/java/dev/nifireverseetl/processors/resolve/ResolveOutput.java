package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.MessageRedactor;
import dev.nifireverseetl.state.SyncRecordFields;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes resolved records into one child FlowFile per route (created on the first record of that route), with
 * {@code _retl_destination_id}, the optional output field, {@code _retl_error_code} and {@code _retl_error_message}
 * added. Used on the processor task's thread only.
 */
final class ResolveOutput {

    private final ProcessSession session;
    private final FlowFile parent;
    private final RecordSetWriterFactory writerFactory;
    private final RecordSchema outputSchema;
    private final String outputField;
    private final ComponentLog logger;
    private final Map<ResolveRoute, Output> outputs = new EnumMap<>(ResolveRoute.class);
    private final Map<ResolveRoute, String[]> firstErrors = new EnumMap<>(ResolveRoute.class);

    /**
     * @param outputField a record field that also receives the id, or null
     */
    ResolveOutput(final ProcessSession session, final FlowFile parent, final RecordSetWriterFactory writerFactory, final RecordSchema inputSchema,
                  final String outputField, final ComponentLog logger) {
        this.session = session;
        this.parent = parent;
        this.writerFactory = writerFactory;
        this.outputField = outputField;
        this.outputSchema = withResolveFields(inputSchema, outputField);
        this.logger = logger;
    }

    static RecordSchema withResolveFields(final RecordSchema inputSchema, final String outputField) {
        final Set<String> added = new LinkedHashSet<>(List.of(SyncRecordFields.DESTINATION_ID, SyncRecordFields.ERROR_CODE, SyncRecordFields.ERROR_MESSAGE));
        if (outputField != null) {
            added.add(outputField);
        }
        final List<RecordField> fields = new ArrayList<>();
        for (final RecordField field : inputSchema.getFields()) {
            fields.add(added.contains(field.getFieldName()) ? new RecordField(field.getFieldName(), RecordFieldType.STRING.getDataType(), true) : field);
        }
        for (final String name : added) {
            if (inputSchema.getField(name).isEmpty()) {
                fields.add(new RecordField(name, RecordFieldType.STRING.getDataType(), true));
            }
        }
        return new SimpleRecordSchema(fields);
    }

    void accept(final Resolution resolution) {
        final Map<String, Object> values = new LinkedHashMap<>(resolution.record().toMap());
        if (resolution.destinationId() != null) {
            values.put(SyncRecordFields.DESTINATION_ID, resolution.destinationId());
            if (outputField != null) {
                values.put(outputField, resolution.destinationId());
            }
        } else if (resolution.route() != ResolveRoute.MATCHED) {
            values.put(SyncRecordFields.DESTINATION_ID, null);
        }
        values.put(SyncRecordFields.ERROR_CODE, resolution.errorCode());
        values.put(SyncRecordFields.ERROR_MESSAGE, resolution.errorMessage());
        if (resolution.errorCode() != null) {
            firstErrors.putIfAbsent(resolution.route(), new String[]{resolution.errorCode(), resolution.errorMessage()});
        }
        final Record record = new MapRecord(outputSchema, values);
        try {
            output(resolution.route()).writer().write(record);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write a resolved record", e);
        }
    }

    private Output output(final ResolveRoute route) throws IOException {
        Output output = outputs.get(route);
        if (output == null) {
            final FlowFile child = session.create(parent);
            final OutputStream stream = session.write(child);
            try {
                final RecordSchema schema = writerFactory.getSchema(parent.getAttributes(), outputSchema);
                final RecordSetWriter writer = writerFactory.createWriter(logger, schema, stream, child);
                writer.beginRecordSet();
                output = new Output(child, stream, writer);
            } catch (final SchemaNotFoundException e) {
                stream.close();
                throw new IOException("The Record Writer has no schema for the resolved records", e);
            }
            outputs.put(route, output);
        }
        return output;
    }

    /**
     * Finishes and transfers every child FlowFile.
     *
     * @param transitUri the lookup endpoint for SEND provenance events, or null when no lookup was sent
     */
    void complete(final Map<ResolveRoute, Relationship> relationships, final Map<String, String> attributes, final String transitUri, final long millis)
            throws IOException {
        for (final Map.Entry<ResolveRoute, Output> entry : outputs.entrySet()) {
            final ResolveRoute route = entry.getKey();
            final Output output = entry.getValue();
            final WriteResult result = output.writer().finishRecordSet();
            final String mimeType = output.writer().getMimeType();
            output.writer().close();
            output.stream().close();
            final Map<String, String> childAttributes = new HashMap<>(attributes);
            childAttributes.putAll(result.getAttributes());
            childAttributes.put("record.count", String.valueOf(result.getRecordCount()));
            childAttributes.put("mime.type", mimeType);
            final String[] error = firstErrors.get(route);
            if (error != null) {
                childAttributes.put("retl.error.code", error[0]);
                childAttributes.put("retl.error.message", MessageRedactor.redact(error[1]));
            }
            FlowFile child = session.putAllAttributes(output.flowFile(), childAttributes);
            if (transitUri != null) {
                session.getProvenanceReporter().send(child, transitUri, "Destination ids looked up", millis);
            }
            if (route == ResolveRoute.RETRY) {
                child = session.penalize(child);
            }
            session.transfer(child, relationships.get(route));
        }
    }

    /**
     * Removes every child (the input could not be read).
     */
    void discard() {
        for (final Output output : outputs.values()) {
            try {
                output.stream().close();
            } catch (final IOException e) {
                logger.debug("Closing a discarded output failed", e);
            }
            session.remove(output.flowFile());
        }
        outputs.clear();
    }

    private record Output(FlowFile flowFile, OutputStream stream, RecordSetWriter writer) {
    }
}
