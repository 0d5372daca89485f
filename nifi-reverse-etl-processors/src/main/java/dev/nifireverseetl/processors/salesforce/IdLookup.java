package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.AsyncContinuation;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteBatch;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Updates and deletes need Salesforce Ids. Items whose id is not known (not in the sync state, no
 * {@code _retl_destination_id}) are looked up first with one SOQL query by External ID
 * ({@code SELECT Id, Ext FROM SObject WHERE Ext IN (…)}); then the write is sent for the items found. An update of a
 * key Salesforce does not have fails with NOT_FOUND; a delete of it counts as done.
 */
final class IdLookup {

    private IdLookup() {
    }

    static boolean needed(final WriteBatch batch) {
        if (batch.operation() != WriteOperation.UPDATE && batch.operation() != WriteOperation.REMOVE) {
            return false;
        }
        for (final WriteItem item : batch.items()) {
            if (item.destinationId() == null) {
                return true;
            }
        }
        return false;
    }

    static HttpRequestSpec request(final SalesforceApi api, final String sObject, final String externalIdField, final WriteBatch batch) {
        final List<String> keys = new ArrayList<>();
        for (final WriteItem item : batch.items()) {
            if (item.destinationId() == null) {
                keys.add(item.matchKey());
            }
        }
        return HttpRequestSpec.get(api.url("/query?q=" + SoqlQuery.encode(SoqlQuery.selectIdsWhereIn(sObject, externalIdField, keys))));
    }

    /**
     * @param write builds the write of the items that now have ids
     */
    static BatchResult afterLookup(final WriteBatch batch, final String externalIdField, final HttpResponseData response,
                                   final Function<List<WriteItem>, HttpRequestSpec> write) {
        if (!response.isSuccessful()) {
            return BatchResult.failed(SalesforceErrors.classify(response, false));
        }
        final Map<String, String> idsByKey = new HashMap<>();
        try {
            final JsonNode body = SalesforceErrors.OBJECT_MAPPER.readTree(response.body());
            for (final JsonNode record : body.path("records")) {
                idsByKey.put(record.path(externalIdField).asText().toLowerCase(Locale.ROOT), record.path("Id").asText());
            }
        } catch (final IOException e) {
            return BatchResult.failed(SalesforceErrors.unreadable("a query result"));
        }
        final Map<String, ItemOutcome> outcomes = new HashMap<>();
        final List<WriteItem> found = new ArrayList<>();
        for (final WriteItem item : batch.items()) {
            final String id = item.destinationId() != null ? item.destinationId() : idsByKey.get(item.matchKey().toLowerCase(Locale.ROOT));
            if (id != null) {
                found.add(new WriteItem(item.itemId(), item.matchKey(), id, item.operation(), item.fields()));
            } else if (batch.operation() == WriteOperation.REMOVE) {
                outcomes.put(item.itemId(), ItemOutcome.succeeded(item.itemId(), null, null));
            } else {
                outcomes.put(item.itemId(), ItemOutcome.failed(item.itemId(), "NOT_FOUND",
                        "No " + externalIdField + " record has this key in Salesforce (update only does not create records)"));
            }
        }
        if (found.isEmpty()) {
            return BatchResult.completed(outcomes);
        }
        return BatchResult.pending(new AsyncContinuation() {
            @Override
            public long delayMillis() {
                return 0;
            }

            @Override
            public HttpRequestSpec nextRequest() {
                return write.apply(found);
            }

            @Override
            public BatchResult onResponse(final HttpResponseData writeResponse) {
                final BatchResult result = CollectionResults.parse(found, batch.operation(), writeResponse);
                if (result instanceof BatchResult.Completed completed) {
                    final Map<String, ItemOutcome> all = new HashMap<>(outcomes);
                    all.putAll(completed.outcomes());
                    return BatchResult.completed(all);
                }
                return result;
            }
        });
    }
}
