package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.InvalidValueException;
import dev.nifireverseetl.processors.engine.WriteBatch;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitFeedback;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Salesforce on the shared write engine. Batches of up to 200 records use sObject Collections
 * ({@code allOrNone:false}, results in request order): upsert by External ID
 * ({@code PATCH /composite/sobjects/{SObject}/{ExtIdField}}), create ({@code POST /composite/sobjects}), update by Id
 * ({@code PATCH /composite/sobjects}) and delete ({@code DELETE /composite/sobjects?ids=}), with a SOQL id lookup
 * first when an update or delete lacks Salesforce Ids. Upserts of more records per FlowFile than the Bulk threshold go
 * through Bulk API 2.0 ingest jobs ({@link BulkIngestFlow}), in the fewest jobs the upload limit allows.
 */
final class SalesforceAdapter implements DestinationAdapter {

    static final int COLLECTION_LIMIT = 200;

    /**
     * @param sObject              the sObject API name
     * @param externalIdField      the External ID field API name (upsert key, lookups)
     * @param bulkThreshold        upserts of more records than this per FlowFile use Bulk API 2.0 (0: never)
     * @param bulkMaxRecords       the most records one large batch holds (memory bound)
     * @param bulkUploadLimitBytes the most bytes of one job's CSV upload
     * @param pollMillis           the first Bulk job poll interval
     * @param maxPollMillis        the longest Bulk job poll interval
     * @param jobTimeoutMillis     how long Bulk jobs may stay unfinished after their uploads before they are aborted and
     *                             their records retried
     */
    record Settings(String sObject, String externalIdField, int bulkThreshold, int bulkMaxRecords, long bulkUploadLimitBytes, long pollMillis,
                    long maxPollMillis, long jobTimeoutMillis) {
    }

    private final SalesforceApi api;
    private final Settings settings;

    SalesforceAdapter(final SalesforceApi api, final Settings settings) {
        this.api = api;
        this.settings = settings;
    }

    @Override
    public String destinationName() {
        return "Salesforce";
    }

    @Override
    public int maxBatchSize(final WriteOperation operation) {
        return COLLECTION_LIMIT;
    }

    @Override
    public int largeBatchThreshold(final WriteOperation operation) {
        return operation == WriteOperation.UPSERT && settings.bulkThreshold() > 0 ? Math.max(COLLECTION_LIMIT, settings.bulkThreshold()) : 0;
    }

    @Override
    public int maxLargeBatchSize(final WriteOperation operation) {
        return Math.max(COLLECTION_LIMIT + 1, settings.bulkMaxRecords());
    }

    @Override
    public Object convertValue(final String destinationField, final Object value) throws InvalidValueException {
        return SalesforceValues.convert(destinationField, value);
    }

    private static boolean isBulk(final WriteBatch batch) {
        return batch.operation() == WriteOperation.UPSERT && batch.size() > COLLECTION_LIMIT;
    }

    @Override
    public HttpRequestSpec buildRequest(final WriteBatch batch) {
        if (isBulk(batch)) {
            return BulkIngestFlow.createJobRequest(api, settings.sObject(), settings.externalIdField());
        }
        if (IdLookup.needed(batch)) {
            return IdLookup.request(api, settings.sObject(), settings.externalIdField(), batch);
        }
        return writeRequest(batch.operation(), batch.items());
    }

    private HttpRequestSpec writeRequest(final WriteOperation operation, final List<WriteItem> items) {
        return switch (operation) {
            case UPSERT -> HttpRequestSpec.json("PATCH", api.url("/composite/sobjects/" + settings.sObject() + "/" + settings.externalIdField()),
                    collectionBody(items, true, false));
            case CREATE -> HttpRequestSpec.json("POST", api.url("/composite/sobjects"), collectionBody(items, false, false));
            case UPDATE -> HttpRequestSpec.json("PATCH", api.url("/composite/sobjects"), collectionBody(items, false, true));
            case REMOVE -> {
                final List<String> ids = new ArrayList<>();
                for (final WriteItem item : items) {
                    ids.add(item.destinationId());
                }
                yield new HttpRequestSpec("DELETE", api.url("/composite/sobjects?ids=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8)
                        + "&allOrNone=false"), Map.of("Accept", "application/json"), null, null);
            }
        };
    }

    private String collectionBody(final List<WriteItem> items, final boolean withExternalId, final boolean withId) {
        final ObjectNode body = SalesforceErrors.OBJECT_MAPPER.createObjectNode();
        body.put("allOrNone", false);
        final ArrayNode records = body.putArray("records");
        for (final WriteItem item : items) {
            final ObjectNode record = records.addObject();
            record.putObject("attributes").put("type", settings.sObject());
            if (withId) {
                record.put("id", item.destinationId());
            }
            for (final Map.Entry<String, Object> field : item.fields().entrySet()) {
                if (withExternalId && field.getKey().equalsIgnoreCase(settings.externalIdField())) {
                    continue;
                }
                if ("id".equalsIgnoreCase(field.getKey())) {
                    continue;
                }
                record.set(field.getKey(), SalesforceErrors.OBJECT_MAPPER.valueToTree(field.getValue()));
            }
            if (withExternalId) {
                record.put(settings.externalIdField(), item.matchKey());
            }
        }
        return body.toString();
    }

    @Override
    public BatchResult parseResponse(final WriteBatch batch, final HttpResponseData response) {
        if (isBulk(batch)) {
            if (!response.isSuccessful()) {
                return BatchResult.failed(SalesforceErrors.classify(response, false));
            }
            final String jobId = BulkIngestFlow.jobId(response);
            if (jobId == null) {
                return BatchResult.failed(SalesforceErrors.unreadable("a job without an id"));
            }
            final List<BulkCsvWriter.Chunk> chunks = BulkCsvWriter.write(batch.items(), settings.externalIdField(), true, settings.bulkUploadLimitBytes());
            return BatchResult.pending(new BulkIngestFlow(api, settings.sObject(), settings.externalIdField(), chunks, jobId, settings.pollMillis(),
                    settings.maxPollMillis(), settings.jobTimeoutMillis()));
        }
        if (IdLookup.needed(batch)) {
            return IdLookup.afterLookup(batch, settings.externalIdField(), response, found -> writeRequest(batch.operation(), found));
        }
        return CollectionResults.parse(batch.items(), batch.operation(), response);
    }

    @Override
    public RateLimitFeedback readRateLimits(final HttpResponseData response) {
        return SalesforceErrors.limitFeedback(response);
    }
}
