package dev.nifireverseetl.processors.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes outcome records into one child FlowFile per route (created on the first record of that route), adding the
 * outcome fields {@code _retl_destination_id}, {@code _retl_created}, {@code _retl_error_code},
 * {@code _retl_error_message}; in dry run also writes the request payloads. Used on the processor task's thread only.
 */
public final class OutcomeRouter implements OutcomeSink {

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final List<String> OUTCOME_FIELDS = List.of(SyncRecordFields.DESTINATION_ID, SyncRecordFields.CREATED, SyncRecordFields.ERROR_CODE,
            SyncRecordFields.ERROR_MESSAGE);

    private final ProcessSession session;
    private final FlowFile parent;
    private final RecordSetWriterFactory writerFactory;
    private final RecordSchema outputSchema;
    private final ComponentLog logger;
    private final Map<OutcomeRoute, Output> outputs = new EnumMap<>(OutcomeRoute.class);
    private final Map<OutcomeRoute, String[]> firstErrors = new EnumMap<>(OutcomeRoute.class);
    private FlowFile dryRunFlowFile;
    private OutputStream dryRunStream;
    private long dryRunRequests;
    private long dryRunRecords;

    public OutcomeRouter(final ProcessSession session, final FlowFile parent, final RecordSetWriterFactory writerFactory, final RecordSchema inputSchema,
                         final ComponentLog logger) {
        this.session = session;
        this.parent = parent;
        this.writerFactory = writerFactory;
        this.outputSchema = withOutcomeFields(inputSchema);
        this.logger = logger;
    }

    /**
     * @return the input schema plus the outcome fields (as optional strings), unless it has them already
     */
    static RecordSchema withOutcomeFields(final RecordSchema inputSchema) {
        final List<RecordField> fields = new ArrayList<>(inputSchema.getFields());
        for (final String name : OUTCOME_FIELDS) {
            if (inputSchema.getField(name).isEmpty()) {
                fields.add(new RecordField(name, RecordFieldType.STRING.getDataType(), true));
            }
        }
        return new SimpleRecordSchema(fields);
    }

    @Override
    public void accept(final RecordOutcome outcome) {
        if (outcome.route() == OutcomeRoute.DRY_RUN) {
            dryRunRecords++;
            return;
        }
        final Map<String, Object> values = new LinkedHashMap<>(outcome.record().record().toMap());
        values.put(SyncRecordFields.DESTINATION_ID, outcome.destinationId());
        values.put(SyncRecordFields.CREATED, outcome.created() == null ? null : outcome.created().toString());
        values.put(SyncRecordFields.ERROR_CODE, outcome.errorCode());
        values.put(SyncRecordFields.ERROR_MESSAGE, outcome.errorMessage());
        final Record record = new MapRecord(outputSchema, values);
        if (outcome.errorCode() != null) {
            firstErrors.putIfAbsent(outcome.route(), new String[]{outcome.errorCode(),
                    MessageRedactor.redact(outcome.errorMessage(), MessageRedactor.valuesOf(outcome.record()))});
        }
        try {
            output(outcome.route()).writer.write(record);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write an outcome record", e);
        }
    }

    @Override
    public void dryRunRequest(final String resolvedUrl, final HttpRequestSpec request, final int itemCount) {
        final ObjectNode line = OBJECT_MAPPER.createObjectNode();
        line.put("method", request.method());
        line.put("url", resolvedUrl);
        line.put("records", itemCount);
        line.set("body", bodyAsJson(request));
        try {
            if (dryRunFlowFile == null) {
                dryRunFlowFile = session.create(parent);
                dryRunStream = session.write(dryRunFlowFile);
            }
            dryRunStream.write(OBJECT_MAPPER.writeValueAsBytes(line));
            dryRunStream.write('\n');
            dryRunRequests++;
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write a dry-run request", e);
        }
    }

    private static JsonNode bodyAsJson(final HttpRequestSpec request) {
        final String text = request.bodyText();
        if (request.contentType() != null && request.contentType().contains("json") && !text.isEmpty()) {
            try {
                return OBJECT_MAPPER.readTree(text);
            } catch (final IOException e) {
                return OBJECT_MAPPER.getNodeFactory().textNode(text);
            }
        }
        return OBJECT_MAPPER.getNodeFactory().textNode(text);
    }

    private Output output(final OutcomeRoute route) throws IOException {
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
                throw new IOException("The Record Writer has no schema for the outcome records", e);
            }
            outputs.put(route, output);
        }
        return output;
    }

    /**
     * Finishes every child FlowFile and transfers it.
     *
     * @param relationships relationship per route
     * @param attributes    attributes for every child (counts)
     * @param transitUri    the endpoint for SEND provenance events of children holding sent records, or null
     * @param sendMillis    time spent writing, for provenance
     * @return the children per route, transferred
     */
    public Map<OutcomeRoute, FlowFile> complete(final Map<OutcomeRoute, Relationship> relationships, final Map<String, String> attributes,
                                               final String transitUri, final long sendMillis) throws IOException {
        final Map<OutcomeRoute, FlowFile> transferred = new EnumMap<>(OutcomeRoute.class);
        for (final Map.Entry<OutcomeRoute, Output> entry : outputs.entrySet()) {
            final OutcomeRoute route = entry.getKey();
            final Output output = entry.getValue();
            final WriteResult result = output.writer.finishRecordSet();
            final String mimeType = output.writer.getMimeType();
            output.writer.close();
            output.stream.close();
            final Map<String, String> childAttributes = new HashMap<>(attributes);
            childAttributes.putAll(result.getAttributes());
            childAttributes.put("record.count", String.valueOf(result.getRecordCount()));
            childAttributes.put("mime.type", mimeType);
            final String[] error = firstErrors.get(route);
            if (error != null) {
                childAttributes.put("retl.error.code", error[0]);
                childAttributes.put("retl.error.message", error[1]);
            }
            FlowFile child = session.putAllAttributes(output.flowFile, childAttributes);
            if (transitUri != null && (route == OutcomeRoute.SUCCESS || route == OutcomeRoute.FAILURE || route == OutcomeRoute.RETRY)) {
                session.getProvenanceReporter().send(child, transitUri, sendMillis);
            }
            if (route == OutcomeRoute.RETRY) {
                child = session.penalize(child);
            }
            session.transfer(child, relationships.get(route));
            transferred.put(route, child);
        }
        if (dryRunFlowFile != null) {
            dryRunStream.close();
            final Map<String, String> dryRunAttributes = new HashMap<>(attributes);
            dryRunAttributes.put("mime.type", "application/x-ndjson");
            dryRunAttributes.put("retl.dry.run.requests", String.valueOf(dryRunRequests));
            dryRunAttributes.put("retl.dry.run.records", String.valueOf(dryRunRecords));
            final FlowFile dryRun = session.putAllAttributes(dryRunFlowFile, dryRunAttributes);
            session.transfer(dryRun, relationships.get(OutcomeRoute.DRY_RUN));
            transferred.put(OutcomeRoute.DRY_RUN, dryRun);
        }
        return transferred;
    }

    /**
     * Removes every child (the input could not be read, or the run is rolled back).
     */
    public void discard() {
        for (final Output output : outputs.values()) {
            try {
                output.stream.close();
            } catch (final IOException e) {
                logger.debug("Closing a discarded output failed", e);
            }
            session.remove(output.flowFile);
        }
        outputs.clear();
        if (dryRunFlowFile != null) {
            try {
                dryRunStream.close();
            } catch (final IOException e) {
                logger.debug("Closing the discarded dry-run output failed", e);
            }
            session.remove(dryRunFlowFile);
            dryRunFlowFile = null;
        }
    }

    private record Output(FlowFile flowFile, OutputStream stream, RecordSetWriter writer) {
    }
}
