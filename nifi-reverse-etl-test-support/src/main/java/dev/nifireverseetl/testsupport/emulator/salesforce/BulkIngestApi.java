package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Bulk API 2.0 ingest jobs. Create ({@code POST /jobs/ingest}) opens a job; one CSV upload
 * ({@code PUT /jobs/ingest/{id}/batches}, {@code text/csv}, at most 150 MB) is accepted only while it is Open;
 * {@code PATCH {"state":"UploadComplete"}} queues it, after a configurable delay it is InProgress and, after another,
 * JobComplete (or Failed), unless its {@link BulkJobFate} keeps it InProgress until aborted. Rows are written as sObject Collections would write them (per row, no allOrNone), with
 * the CSV conventions: empty cell = leave unchanged, {@code #N/A} = null, {@code Relationship.ExternalIdField} columns
 * for references. Results: successfulResults ({@code sf__Id, sf__Created, <columns>}), failedResults
 * ({@code sf__Id, sf__Error, <columns>}), unprocessedrecords ({@code <columns>}); the row order of result files is
 * not the upload order (chunks finish in parallel).
 */
final class BulkIngestApi {

    static final long DEFAULT_MAXIMUM_UPLOAD_BYTES = 150L * 1024 * 1024;
    private static final int CHUNK_SIZE = 200;
    private static final int INTERNAL_BATCH_SIZE = 10_000;
    private static final CsvMapper CSV = new CsvMapper();

    private final SObjectStore store;
    private final SalesforceLimits limits;
    private final SalesforceIds jobIds = new SalesforceIds();
    private final LongSupplier clock;
    private final Map<String, BulkIngestJob> jobs = new ConcurrentHashMap<>();
    private volatile long queuedMillis = 50;
    private volatile long processingMillis = 100;
    private volatile long maximumUploadBytes = DEFAULT_MAXIMUM_UPLOAD_BYTES;
    private volatile String failureForNextJob;
    private volatile BulkJobFate fate = BulkJobFate.COMPLETE;
    private final AtomicLong uploadedBytes = new AtomicLong();

    BulkIngestApi(final SObjectStore store, final SalesforceLimits limits, final LongSupplier clock) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
    }

    void delays(final long queued, final long processing) {
        this.queuedMillis = queued;
        this.processingMillis = processing;
    }

    void maximumUploadBytes(final long bytes) {
        this.maximumUploadBytes = bytes;
    }

    void fate(final BulkJobFate fate) {
        this.fate = fate;
    }

    void failNextJob(final String errorMessage) {
        this.failureForNextJob = errorMessage;
    }

    long uploadedBytes() {
        return uploadedBytes.get();
    }

    int jobCount() {
        return jobs.size();
    }

    List<String> jobStates() {
        final List<String> states = new ArrayList<>();
        for (final BulkIngestJob job : jobs.values()) {
            synchronized (job) {
                advance(job);
                states.add(job.state.name());
            }
        }
        return states;
    }

    EmulatorResponse create(final EmulatorRequest request) {
        CollectionsApi.requireVersion(request, 41);
        final JsonNode body = request.json();
        final String objectName = body.path("object").asText(null);
        final String operation = body.path("operation").asText(null);
        final SObjectDefinition object = store.definition(objectName);
        if (object == null) {
            throw SalesforceErrors.exception(400, "INVALIDENTITY", "Entity '" + objectName + "' is not supported by the Bulk API.");
        }
        if (operation == null || !List.of("insert", "update", "upsert", "delete", "hardDelete").contains(operation)) {
            throw SalesforceErrors.exception(400, "INVALIDJOB", "Invalid operation: " + operation);
        }
        final String externalId = body.path("externalIdFieldName").asText(null);
        if ("upsert".equals(operation)) {
            final FieldDefinition field = object.field(externalId);
            if (field == null || !field.idLookup()) {
                throw SalesforceErrors.exception(400, "INVALIDJOB", "External ID field is required for upsert and must be an External ID field: " + externalId);
            }
        }
        if (!"CSV".equals(body.path("contentType").asText("CSV"))) {
            throw SalesforceErrors.exception(400, "INVALIDJOB", "Only CSV content is supported");
        }
        final String columnDelimiter = body.path("columnDelimiter").asText("COMMA");
        final String lineEnding = body.path("lineEnding").asText("LF");
        final BulkIngestJob job = new BulkIngestJob(jobIds.next("750"), object.name(), operation, "upsert".equals(operation) ? object.field(externalId).name() : null,
                request.pathVariable("version"), columnDelimiter, lineEnding, FieldValues.nowDateTime(clock.getAsLong()));
        job.failureToInject = failureForNextJob;
        job.fate = fate;
        failureForNextJob = null;
        jobs.put(job.id, job);
        return EmulatorResponse.json(200, job.info());
    }

    EmulatorResponse info(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        synchronized (job) {
            advance(job);
            return EmulatorResponse.json(200, job.info());
        }
    }

    EmulatorResponse upload(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        final String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
            throw SalesforceErrors.exception(400, "INVALIDCONTENTTYPE", "Content-Type must be text/csv");
        }
        synchronized (job) {
            if (job.state != BulkIngestJob.State.Open) {
                throw SalesforceErrors.exception(400, "INVALIDJOBSTATE", "Job is not in the Open state: " + job.state);
            }
            if (job.data != null) {
                throw SalesforceErrors.exception(400, "INVALIDJOBSTATE", "Only one upload of data is allowed per job");
            }
            if (request.body().length > maximumUploadBytes) {
                throw SalesforceErrors.exception(400, "INVALID_REQUEST", "The upload exceeds the maximum size of " + maximumUploadBytes + " bytes");
            }
            job.data = request.body();
            uploadedBytes.addAndGet(job.data.length);
        }
        return EmulatorResponse.empty(201);
    }

    EmulatorResponse changeState(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        final String wanted = request.json().path("state").asText("");
        synchronized (job) {
            advance(job);
            if ("UploadComplete".equals(wanted)) {
                if (job.state != BulkIngestJob.State.Open) {
                    throw SalesforceErrors.exception(400, "INVALIDJOBSTATE", "Job is not in the Open state: " + job.state);
                }
                job.state = BulkIngestJob.State.UploadComplete;
                job.closedAtMillis = clock.getAsLong();
                advance(job);
            } else if ("Aborted".equals(wanted)) {
                if (job.state.terminal()) {
                    throw SalesforceErrors.exception(400, "INVALIDJOBSTATE", "Job is already finished: " + job.state);
                }
                job.state = BulkIngestJob.State.Aborted;
                for (final String[] row : rows(job, false)) {
                    job.unprocessed.add(row);
                }
            } else {
                throw SalesforceErrors.exception(400, "INVALIDJOBSTATE", "Invalid state: " + wanted);
            }
            return EmulatorResponse.json(200, job.info());
        }
    }

    EmulatorResponse delete(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        synchronized (job) {
            advance(job);
            if (job.state == BulkIngestJob.State.Open || job.state == BulkIngestJob.State.InProgress) {
                throw SalesforceErrors.exception(400, "INVALIDJOBSTATE", "A job can be deleted only when it is UploadComplete, JobComplete, Aborted or Failed");
            }
            jobs.remove(job.id);
        }
        return EmulatorResponse.empty(204);
    }

    EmulatorResponse successfulResults(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        synchronized (job) {
            advance(job);
            final List<String[]> lines = new ArrayList<>();
            for (final BulkIngestJob.RowResult result : parallelOrder(job.successful)) {
                lines.add(prepend(result.cells(), result.id(), String.valueOf(result.created())));
            }
            return csv(prepend(headerOf(job), "sf__Id", "sf__Created"), lines);
        }
    }

    EmulatorResponse failedResults(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        synchronized (job) {
            advance(job);
            final List<String[]> lines = new ArrayList<>();
            for (final BulkIngestJob.RowResult result : parallelOrder(job.failed)) {
                lines.add(prepend(result.cells(), result.id() == null ? "" : result.id(), result.error().toBulkCell()));
            }
            return csv(prepend(headerOf(job), "sf__Id", "sf__Error"), lines);
        }
    }

    EmulatorResponse unprocessedRecords(final EmulatorRequest request) {
        final BulkIngestJob job = job(request);
        synchronized (job) {
            advance(job);
            return csv(headerOf(job), job.unprocessed);
        }
    }

    private BulkIngestJob job(final EmulatorRequest request) {
        final BulkIngestJob job = jobs.get(request.pathVariable("jobId"));
        if (job == null) {
            throw SalesforceErrors.exception(404, "NOT_FOUND", "The requested resource does not exist");
        }
        return job;
    }

    /**
     * Moves the job along its state machine according to the clock; processes the rows when it completes.
     */
    private void advance(final BulkIngestJob job) {
        final long now = clock.getAsLong();
        if (job.state == BulkIngestJob.State.UploadComplete && now >= job.closedAtMillis + queuedMillis) {
            job.state = BulkIngestJob.State.InProgress;
        }
        if (job.state == BulkIngestJob.State.InProgress && job.fate == BulkJobFate.COMPLETE && now >= job.closedAtMillis + queuedMillis + processingMillis) {
            process(job);
        }
    }

    private void process(final BulkIngestJob job) {
        final long started = System.nanoTime();
        if (job.failureToInject != null) {
            fail(job, job.failureToInject);
            return;
        }
        final List<String[]> rows;
        try {
            rows = rows(job, true);
        } catch (final RecordError.Rejected invalid) {
            fail(job, invalid.error().message());
            return;
        }
        final SObjectDefinition object = store.definition(job.object);
        final String[] header = job.header;
        for (final String column : header) {
            if (!columnKnown(object, column)) {
                fail(job, "InvalidBatch : Field name not found : " + column);
                return;
            }
        }
        final FieldDefinition externalId = job.externalIdFieldName == null ? null : object.field(job.externalIdFieldName);
        final Map<String, Integer> keyCounts = new HashMap<>();
        final int keyColumn = externalId == null ? -1 : indexOf(header, externalId.name());
        if (keyColumn >= 0) {
            for (final String[] row : rows) {
                keyCounts.merge(normalizedKey(externalId, row[keyColumn]), 1, Integer::sum);
            }
        }
        for (final String[] row : rows) {
            final ObjectNode record = toRecord(header, row);
            try (SObjectStore.Transaction transaction = store.begin()) {
                final SObjectStore.WriteOutcome outcome = switch (job.operation) {
                    case "insert" -> store.create(transaction, object, record);
                    case "update" -> store.update(transaction, object, requireId(record), record);
                    case "upsert" -> {
                        if (keyColumn >= 0 && !row[keyColumn].isEmpty() && keyCounts.get(normalizedKey(externalId, row[keyColumn])) > 1) {
                            throw new RecordError.Rejected(RecordError.of("DUPLICATE_VALUE", "Duplicate external id specified: " + row[keyColumn], externalId.name()));
                        }
                        yield store.upsert(transaction, object, externalId, record);
                    }
                    default -> store.delete(transaction, requireId(record));
                };
                job.successful.add(new BulkIngestJob.RowResult(row, outcome.id(), outcome.created(), null));
            } catch (final RecordError.Rejected rejected) {
                final JsonNode id = SObjectStore.valueIgnoringCase(record, "Id");
                job.failed.add(new BulkIngestJob.RowResult(row, id == null ? null : id.asText(), false, rejected.error()));
            }
        }
        for (int i = 0; i < Math.max(1, (rows.size() + INTERNAL_BATCH_SIZE - 1) / INTERNAL_BATCH_SIZE); i++) {
            limits.dailyBulkBatches().tryAcquire();
        }
        job.processingMillis = (System.nanoTime() - started) / 1_000_000;
        job.state = BulkIngestJob.State.JobComplete;
    }

    private void fail(final BulkIngestJob job, final String message) {
        job.state = BulkIngestJob.State.Failed;
        job.errorMessage = message;
        job.unprocessed.clear();
        try {
            job.unprocessed.addAll(rows(job, false));
        } catch (final RecordError.Rejected unreadable) {
            job.unprocessed.clear();
        }
    }

    private static String requireId(final ObjectNode record) {
        final JsonNode id = SObjectStore.valueIgnoringCase(record, "Id");
        if (id == null || id.isNull() || id.asText().isEmpty()) {
            throw new RecordError.Rejected(RecordError.of("MISSING_ARGUMENT", "Id not specified in an update call"));
        }
        return id.asText();
    }

    private static String normalizedKey(final FieldDefinition field, final String value) {
        return field.caseSensitive() ? value : value.toLowerCase(Locale.ROOT);
    }

    private static boolean columnKnown(final SObjectDefinition object, final String column) {
        final int dot = column.indexOf('.');
        if (dot > 0) {
            return object.relationship(column.substring(0, dot)) != null;
        }
        return object.field(column) != null;
    }

    /**
     * A CSV row as a record: empty cells are left out (unchanged), {@code #N/A} is null, and
     * {@code Relationship.Field} columns become references by external id.
     */
    private static ObjectNode toRecord(final String[] header, final String[] row) {
        final ObjectNode record = Json.MAPPER.createObjectNode();
        for (int i = 0; i < header.length && i < row.length; i++) {
            final String cell = row[i];
            if (cell == null || cell.isEmpty()) {
                continue;
            }
            final int dot = header[i].indexOf('.');
            if (dot > 0) {
                record.putObject(header[i].substring(0, dot)).put(header[i].substring(dot + 1), cell);
            } else if ("#N/A".equals(cell)) {
                record.putNull(header[i]);
            } else {
                record.put(header[i], cell);
            }
        }
        return record;
    }

    /**
     * Parses the uploaded CSV (remembering its header) into rows.
     */
    private static List<String[]> rows(final BulkIngestJob job, final boolean checkLineEnding) {
        if (job.data == null || job.data.length == 0) {
            return List.of();
        }
        if (checkLineEnding) {
            final boolean hasCarriageReturn = indexOfCarriageReturnNewline(job.data);
            if ("LF".equals(job.lineEnding) && hasCarriageReturn) {
                throw new RecordError.Rejected(RecordError.of("InvalidBatch", "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF"));
            }
            if ("CRLF".equals(job.lineEnding) && !hasCarriageReturn) {
                throw new RecordError.Rejected(RecordError.of("InvalidBatch", "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is CRLF"));
            }
        }
        final CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(job.delimiter);
        final List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> iterator = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY).with(schema).readValues(job.data)) {
            if (!iterator.hasNext()) {
                return List.of();
            }
            job.header = iterator.next();
            while (iterator.hasNext()) {
                final String[] row = iterator.next();
                if (row.length == 1 && row[0].isEmpty()) {
                    continue;
                }
                rows.add(row.length == job.header.length ? row : Arrays.copyOf(row, job.header.length));
            }
        } catch (final IOException | RuntimeException e) {
            throw new RecordError.Rejected(RecordError.of("InvalidBatch", "InvalidBatch : Failed to parse CSV: " + e.getMessage()));
        }
        return rows;
    }

    private static boolean indexOfCarriageReturnNewline(final byte[] data) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return true;
            }
            if (data[i] == '\n') {
                return false;
            }
        }
        return false;
    }

    private static String[] headerOf(final BulkIngestJob job) {
        if (job.header == null && job.data != null) {
            try {
                rows(job, false);
            } catch (final RecordError.Rejected unreadable) {
                return new String[0];
            }
        }
        return job.header == null ? new String[0] : job.header;
    }

    /**
     * Chunks of 200 rows finish in parallel: result files list the last chunk first.
     */
    private static List<BulkIngestJob.RowResult> parallelOrder(final List<BulkIngestJob.RowResult> results) {
        final List<BulkIngestJob.RowResult> ordered = new ArrayList<>(results.size());
        for (int end = results.size(); end > 0; end -= CHUNK_SIZE) {
            ordered.addAll(results.subList(Math.max(0, end - CHUNK_SIZE), end));
        }
        return ordered;
    }

    private static int indexOf(final String[] header, final String column) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private static String[] prepend(final String[] cells, final String first, final String second) {
        final String[] line = new String[cells.length + 2];
        line[0] = first;
        line[1] = second;
        System.arraycopy(cells, 0, line, 2, cells.length);
        return line;
    }

    private static EmulatorResponse csv(final String[] header, final List<String[]> lines) {
        final StringWriter out = new StringWriter();
        final CsvSchema schema = CsvSchema.emptySchema().withLineSeparator("\n");
        try (SequenceWriter writer = CSV.writer(schema).with(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS).writeValues(out)) {
            if (header.length > 0) {
                writer.write(header);
            }
            for (final String[] line : lines) {
                writer.write(line);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return EmulatorResponse.text(200, "text/csv", out.toString()).withHeader("Content-Type", "text/csv");
    }
}
