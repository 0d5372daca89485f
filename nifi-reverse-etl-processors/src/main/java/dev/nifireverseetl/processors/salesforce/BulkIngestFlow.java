package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.nifireverseetl.processors.engine.AsyncContinuation;
import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one large batch through Bulk API 2.0 upsert jobs: the items are cut into CSV uploads of at most the upload
 * limit (one job each); for every job: create (the first job is created by the adapter's first request), upload the
 * CSV, close it (UploadComplete); then poll each job (the interval doubles up to a maximum) until it is JobComplete,
 * Failed or Aborted; then read its successfulResults, failedResults and unprocessedrecords and join their rows to the
 * items on the External ID column (result files are not in upload order). Rows that failed carry Salesforce's error
 * code and message ({@code sf__Error}); rows never processed are retried (or fail, when the job failed for a reason
 * that will not go away).
 * <p>
 * Polling ends at the job timeout: when the jobs are still unfinished that long after the last upload was closed, every
 * unfinished job is aborted ({@code PATCH {"state":"Aborted"}}, best effort: a refusal or error does not matter) and
 * every item of the batch is retried ({@code BULK_JOB_TIMEOUT}); no item is reported written, so the sync state does
 * not advance for any of them (upserts are idempotent, so a job that still ran does no harm).
 * <p>
 * Every step is safe to repeat after a lost response: a repeated upload or close is refused with INVALIDJOBSTATE,
 * which means the first one arrived.
 */
final class BulkIngestFlow implements AsyncContinuation {

    private static final CsvMapper CSV = new CsvMapper();

    private enum Step {
        CREATE, UPLOAD, CLOSE, POLL, ABORT, SUCCESSFUL_RESULTS, FAILED_RESULTS, UNPROCESSED_RECORDS
    }

    private final SalesforceApi api;
    private final String sObject;
    private final String externalIdField;
    private final List<BulkCsvWriter.Chunk> chunks;
    private final Map<String, String> itemIdsByKey = new HashMap<>();
    private final Map<String, String> itemIdsByLowerKey = new HashMap<>();
    private final List<String> jobIds = new ArrayList<>();
    private final List<String> jobStates = new ArrayList<>();
    private final List<String> jobErrors = new ArrayList<>();
    private final Map<String, ItemOutcome> outcomes = new HashMap<>();
    private final long initialPollMillis;
    private final long maximumPollMillis;
    private final long jobTimeoutMillis;
    private final List<WriteItem> items = new ArrayList<>();
    private long pollingSinceMillis;
    private String timedOutJob;
    private Step step = Step.UPLOAD;
    private int jobIndex;
    private long pollMillis;

    BulkIngestFlow(final SalesforceApi api, final String sObject, final String externalIdField, final List<BulkCsvWriter.Chunk> chunks,
                   final String firstJobId, final long initialPollMillis, final long maximumPollMillis, final long jobTimeoutMillis) {
        this.api = api;
        this.sObject = sObject;
        this.externalIdField = externalIdField;
        this.chunks = chunks;
        this.initialPollMillis = initialPollMillis;
        this.maximumPollMillis = maximumPollMillis;
        this.pollMillis = initialPollMillis;
        this.jobTimeoutMillis = jobTimeoutMillis;
        this.jobIds.add(firstJobId);
        for (final BulkCsvWriter.Chunk chunk : chunks) {
            for (final WriteItem item : chunk.items()) {
                items.add(item);
                itemIdsByKey.put(item.matchKey(), item.itemId());
                itemIdsByLowerKey.put(item.matchKey().toLowerCase(Locale.ROOT), item.itemId());
            }
        }
    }

    static HttpRequestSpec createJobRequest(final SalesforceApi api, final String sObject, final String externalIdField) {
        final String body = SalesforceErrors.OBJECT_MAPPER.createObjectNode()
                .put("object", sObject)
                .put("operation", "upsert")
                .put("externalIdFieldName", externalIdField)
                .put("contentType", "CSV")
                .put("columnDelimiter", "COMMA")
                .put("lineEnding", "LF")
                .toString();
        return HttpRequestSpec.json("POST", api.url("/jobs/ingest"), body);
    }

    /**
     * @return the job id of a create-job response, or null when it has none
     */
    static String jobId(final HttpResponseData response) {
        try {
            final JsonNode info = SalesforceErrors.OBJECT_MAPPER.readTree(response.body());
            final String id = info == null ? null : info.path("id").asText(null);
            return id == null || id.isEmpty() ? null : id;
        } catch (final IOException e) {
            return null;
        }
    }

    @Override
    public long delayMillis() {
        if (step != Step.POLL) {
            return 0;
        }
        final long untilTimeout = pollingSinceMillis + jobTimeoutMillis - System.currentTimeMillis();
        return Math.max(0, Math.min(pollMillis, untilTimeout));
    }

    @Override
    public HttpRequestSpec nextRequest() {
        final String job = step == Step.CREATE ? null : "/jobs/ingest/" + jobIds.get(jobIndex);
        return switch (step) {
            case CREATE -> createJobRequest(api, sObject, externalIdField);
            case UPLOAD -> new HttpRequestSpec("PUT", api.url(job + "/batches"), Map.of("Accept", "application/json"), "text/csv",
                    chunks.get(jobIndex).csv());
            case CLOSE -> HttpRequestSpec.json("PATCH", api.url(job), "{\"state\":\"UploadComplete\"}");
            case POLL -> HttpRequestSpec.get(api.url(job));
            case ABORT -> HttpRequestSpec.json("PATCH", api.url(job), "{\"state\":\"Aborted\"}");
            case SUCCESSFUL_RESULTS -> csvGet(api.url(job + "/successfulResults"));
            case FAILED_RESULTS -> csvGet(api.url(job + "/failedResults"));
            case UNPROCESSED_RECORDS -> csvGet(api.url(job + "/unprocessedrecords"));
        };
    }

    private static HttpRequestSpec csvGet(final String url) {
        return new HttpRequestSpec("GET", url, Map.of("Accept", "text/csv"), null, null);
    }

    @Override
    public BatchResult onResponse(final HttpResponseData response) {
        if (step == Step.ABORT) {
            return onAborted();
        }
        if (!response.isSuccessful()) {
            final BatchFailure failure = SalesforceErrors.classify(response, false);
            final boolean repeatedStep = (step == Step.UPLOAD || step == Step.CLOSE) && "INVALIDJOBSTATE".equals(failure.code());
            if (!repeatedStep) {
                return BatchResult.failed(failure);
            }
        }
        switch (step) {
            case CREATE -> {
                final String id = jobId(response);
                if (id == null) {
                    return BatchResult.failed(SalesforceErrors.unreadable("a job without an id"));
                }
                jobIds.add(id);
                step = Step.UPLOAD;
            }
            case UPLOAD -> step = Step.CLOSE;
            case CLOSE -> {
                if (jobIndex + 1 < chunks.size()) {
                    jobIndex++;
                    step = Step.CREATE;
                } else {
                    jobIndex = 0;
                    pollingSinceMillis = response.receivedAt();
                    step = Step.POLL;
                }
            }
            case POLL -> {
                final JsonNode info;
                try {
                    info = SalesforceErrors.OBJECT_MAPPER.readTree(response.body());
                } catch (final IOException e) {
                    return BatchResult.failed(SalesforceErrors.unreadable("job information"));
                }
                final String state = info.path("state").asText("");
                if ("JobComplete".equals(state) || "Failed".equals(state) || "Aborted".equals(state)) {
                    jobStates.add(state);
                    jobErrors.add(info.path("errorMessage").asText(state));
                    pollMillis = initialPollMillis;
                    if (++jobIndex == jobIds.size()) {
                        jobIndex = 0;
                        step = Step.SUCCESSFUL_RESULTS;
                    }
                } else if (response.receivedAt() - pollingSinceMillis >= jobTimeoutMillis) {
                    timedOutJob = jobIds.get(jobIndex) + " was still " + state;
                    step = Step.ABORT;
                } else {
                    pollMillis = Math.min(maximumPollMillis, pollMillis * 2);
                }
            }
            case SUCCESSFUL_RESULTS -> {
                if (!readRows(response, this::successfulRow)) {
                    return BatchResult.failed(SalesforceErrors.unreadable("a result file"));
                }
                step = Step.FAILED_RESULTS;
            }
            case FAILED_RESULTS -> {
                if (!readRows(response, this::failedRow)) {
                    return BatchResult.failed(SalesforceErrors.unreadable("a result file"));
                }
                step = Step.UNPROCESSED_RECORDS;
            }
            case UNPROCESSED_RECORDS -> {
                if (!readRows(response, this::unprocessedRow)) {
                    return BatchResult.failed(SalesforceErrors.unreadable("a result file"));
                }
                if (++jobIndex == jobIds.size()) {
                    return BatchResult.completed(outcomes);
                }
                step = Step.SUCCESSFUL_RESULTS;
            }
        }
        return BatchResult.pending(this);
    }

    /**
     * After the abort request of the job at {@code jobIndex} (whatever its answer: a job that finished meanwhile
     * refuses with INVALIDJOBSTATE): aborts the next unfinished job, or retries every item once all are aborted.
     */
    private BatchResult onAborted() {
        if (++jobIndex < jobIds.size()) {
            return BatchResult.pending(this);
        }
        final String message = "Salesforce Bulk job " + timedOutJob + " after the Bulk Job Timeout ("
                + jobTimeoutMillis / 1000 + " s); the unfinished jobs were aborted and the records are sent again (upserts are idempotent)";
        final Map<String, ItemOutcome> retried = new HashMap<>();
        for (final WriteItem item : items) {
            retried.put(item.itemId(), ItemOutcome.retryable(item.itemId(), "BULK_JOB_TIMEOUT", message));
        }
        return BatchResult.completed(retried);
    }

    private interface RowHandler {
        void row(String itemId, Map<String, String> cells);
    }

    private void successfulRow(final String itemId, final Map<String, String> cells) {
        outcomes.put(itemId, ItemOutcome.succeeded(itemId, emptyToNull(cells.get("sf__Id")), Boolean.parseBoolean(cells.get("sf__Created"))));
    }

    private void failedRow(final String itemId, final Map<String, String> cells) {
        final String error = cells.getOrDefault("sf__Error", "");
        final int colon = error.indexOf(':');
        final String code = colon > 0 ? error.substring(0, colon) : "UNKNOWN_ERROR";
        String message = colon > 0 ? error.substring(colon + 1) : error;
        if (message.endsWith(" --")) {
            message = message.substring(0, message.length() - 3);
        }
        final int fieldsSeparator = message.lastIndexOf(':');
        if (fieldsSeparator >= 0) {
            message = message.substring(0, fieldsSeparator);
        }
        outcomes.put(itemId, SalesforceErrors.isRetryableRecordCode(code) ? ItemOutcome.retryable(itemId, code, message) : ItemOutcome.failed(itemId, code, message));
    }

    private void unprocessedRow(final String itemId, final Map<String, String> cells) {
        final String state = jobStates.get(jobIndex);
        final String reason = jobErrors.get(jobIndex);
        if ("Failed".equals(state) && reason.startsWith("InvalidBatch")) {
            outcomes.put(itemId, ItemOutcome.failed(itemId, "BULK_JOB_FAILED", reason));
        } else {
            outcomes.put(itemId, ItemOutcome.retryable(itemId, "BULK_JOB_" + state.toUpperCase(Locale.ROOT), "The Bulk job ended " + state + " before this row was processed: " + reason));
        }
    }

    /**
     * @return false when the CSV cannot be read
     */
    private boolean readRows(final HttpResponseData response, final RowHandler handler) {
        if (response.body().length == 0) {
            return true;
        }
        final CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> rows = CSV.readerFor(Map.class).with(schema)
                .readValues(new String(response.body(), StandardCharsets.UTF_8))) {
            String keyColumn = null;
            while (rows.hasNext()) {
                final Map<String, String> cells = rows.next();
                if (keyColumn == null) {
                    keyColumn = column(cells, externalIdField);
                }
                final String key = keyColumn == null ? null : cells.get(keyColumn);
                if (key == null) {
                    continue;
                }
                String itemId = itemIdsByKey.get(key);
                if (itemId == null) {
                    itemId = itemIdsByLowerKey.get(key.toLowerCase(Locale.ROOT));
                }
                if (itemId != null) {
                    handler.row(itemId, cells);
                }
            }
        } catch (final IOException | RuntimeException e) {
            return false;
        }
        return true;
    }

    private static String column(final Map<String, String> cells, final String name) {
        for (final String column : cells.keySet()) {
            if (column.equalsIgnoreCase(name)) {
                return column;
            }
        }
        return null;
    }

    private static String emptyToNull(final String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * @return the number of jobs this flow created (for tests and metrics)
     */
    int jobCount() {
        return jobIds.size();
    }
}
