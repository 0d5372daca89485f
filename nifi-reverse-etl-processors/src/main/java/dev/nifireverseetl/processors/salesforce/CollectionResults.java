package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps an sObject Collections response to the items of the request: results come back in request order (documented),
 * so result {@code i} answers item {@code i}. A success carries the record id and, for upserts, the {@code created}
 * flag; a failure carries Salesforce's statusCode and message. A removal of a record that is already gone
 * (ENTITY_IS_DELETED, INVALID_CROSS_REFERENCE_KEY) counts as removed.
 */
final class CollectionResults {

    private static final Set<String> ALREADY_REMOVED = Set.of("ENTITY_IS_DELETED", "INVALID_CROSS_REFERENCE_KEY");

    private CollectionResults() {
    }

    static BatchResult parse(final List<WriteItem> items, final WriteOperation operation, final HttpResponseData response) {
        if (!response.isSuccessful()) {
            return BatchResult.failed(SalesforceErrors.classify(response, true));
        }
        final JsonNode results;
        try {
            results = SalesforceErrors.OBJECT_MAPPER.readTree(response.body());
        } catch (final IOException e) {
            return BatchResult.failed(SalesforceErrors.unreadable("a body"));
        }
        if (results == null || !results.isArray() || results.size() != items.size()) {
            return BatchResult.failed(SalesforceErrors.unreadable("a result list whose length does not match the request"));
        }
        final Map<String, ItemOutcome> outcomes = new HashMap<>();
        for (int index = 0; index < items.size(); index++) {
            final String itemId = items.get(index).itemId();
            outcomes.put(itemId, outcome(itemId, operation, results.get(index)));
        }
        return BatchResult.completed(outcomes);
    }

    private static ItemOutcome outcome(final String itemId, final WriteOperation operation, final JsonNode result) {
        final String id = result.path("id").isTextual() ? result.path("id").textValue() : null;
        if (result.path("success").asBoolean(false)) {
            final Boolean created = switch (operation) {
                case UPSERT -> result.path("created").isBoolean() ? result.path("created").booleanValue() : null;
                case CREATE -> Boolean.TRUE;
                case UPDATE -> Boolean.FALSE;
                case REMOVE -> null;
            };
            return ItemOutcome.succeeded(itemId, id, created);
        }
        final JsonNode errors = result.path("errors");
        final String code = errors.path(0).path("statusCode").asText("UNKNOWN_ERROR");
        final List<String> messages = new ArrayList<>();
        for (final JsonNode error : errors) {
            messages.add(error.path("message").asText(""));
        }
        final String message = String.join("; ", messages);
        if (operation == WriteOperation.REMOVE && ALREADY_REMOVED.contains(code)) {
            return ItemOutcome.succeeded(itemId, id, null);
        }
        if (SalesforceErrors.isRetryableRecordCode(code)) {
            return ItemOutcome.retryable(itemId, code, message);
        }
        return ItemOutcome.failed(itemId, code, message);
    }
}
