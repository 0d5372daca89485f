package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteItem;

import java.util.List;
import java.util.Map;

/**
 * Maps the {@code results[]} of a completed Zendesk job to the items of its request. Zendesk returns results in request
 * order (reference §3.3); an explicit {@code index} field, when present, wins over the position. Failed items carry an
 * {@code id} that is not a record id, so it is never taken as one. Items without a result are left out (the engine
 * retries them as {@code NO_RESULT}, never counting them as successes).
 */
final class ZendeskJobResults {

    private ZendeskJobResults() {
    }

    static void map(final ZendeskWriteStep step, final List<JsonNode> results, final Map<String, ItemOutcome> outcomes) {
        final List<WriteItem> items = step.items();
        for (int position = 0; position < results.size(); position++) {
            final JsonNode result = results.get(position);
            final int index = result.hasNonNull("index") ? result.get("index").asInt() : position;
            if (index < 0 || index >= items.size()) {
                continue;
            }
            final String itemId = items.get(index).itemId();
            outcomes.put(itemId, outcome(step.kind(), itemId, result));
        }
    }

    private static ItemOutcome outcome(final ZendeskWriteStep.Kind kind, final String itemId, final JsonNode result) {
        final String status = result.path("status").asText("");
        final boolean failed = "Failed".equalsIgnoreCase(status) || (result.has("success") && !result.path("success").asBoolean(true))
                || result.hasNonNull("error");
        if (failed) {
            final String error = result.path("error").asText("Failed");
            final String details = result.hasNonNull("details") ? result.get("details").asText() : error;
            if (kind == ZendeskWriteStep.Kind.REMOVE && "RecordNotFound".equals(error)) {
                return ItemOutcome.succeeded(itemId, null, false);
            }
            if (kind == ZendeskWriteStep.Kind.CREATE_WITHIN_UPSERT && "DuplicateValue".equals(error) && details.startsWith("External")) {
                return ItemOutcome.retryable(itemId, error, "Created by another writer since the lookup; retried as an update: " + details);
            }
            return ItemOutcome.failed(itemId, error, details);
        }
        final String id = result.hasNonNull("id") ? result.get("id").asText() : null;
        return switch (kind) {
            case UPSERT -> ItemOutcome.succeeded(itemId, id, "Created".equalsIgnoreCase(status) ? Boolean.TRUE
                    : "Updated".equalsIgnoreCase(status) ? Boolean.FALSE : null);
            case CREATE, CREATE_WITHIN_UPSERT -> ItemOutcome.succeeded(itemId, id, true);
            case UPDATE, REMOVE -> ItemOutcome.succeeded(itemId, id, false);
        };
    }
}
