package dev.nifireverseetl.processors.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.processors.engine.AsyncContinuation;
import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.InvalidValueException;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteBatch;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitFeedback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot CRM v3 objects ({@code /crm/v3/objects/{objectType}/batch/...}): upsert by a unique property, create,
 * update, archive; 100 inputs per request. Results are matched to inputs by {@code objectWriteTraceId} (sent with every
 * input), then by record id or unique value, never by position: HubSpot does not keep input order.
 */
public final class HubSpotAdapter implements DestinationAdapter {

    static final int MAX_BATCH = 100;
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final long SHORT_WINDOW_PAUSE_MILLIS = 1_000;

    private final String objectsPath;
    private final String idProperty;

    /**
     * @param pathPrefix  the objects path prefix, {@code /crm/v3/objects} (date-versioned prefixes such as
     *                    {@code /crm/objects/2026-03} take the same bodies)
     * @param objectType  contacts, companies, deals, tickets, or a custom object type id such as {@code 2-1234567}
     * @param idProperty  the unique property the match key is a value of (for example {@code email})
     */
    public HubSpotAdapter(final String pathPrefix, final String objectType, final String idProperty) {
        final String prefix = pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
        this.objectsPath = prefix + "/" + objectType;
        this.idProperty = idProperty;
    }

    @Override
    public String destinationName() {
        return "HubSpot";
    }

    @Override
    public int maxBatchSize(final WriteOperation operation) {
        return MAX_BATCH;
    }

    @Override
    public Object convertValue(final String destinationField, final Object value) throws InvalidValueException {
        return HubSpotValueConverter.convert(destinationField, value);
    }

    @Override
    public HttpRequestSpec buildRequest(final WriteBatch batch) {
        if (batch.operation() == WriteOperation.REMOVE) {
            return archiveRequest(batch.items());
        }
        final ObjectNode body = OBJECT_MAPPER.createObjectNode();
        final ArrayNode inputs = body.putArray("inputs");
        for (final WriteItem item : batch.items()) {
            final ObjectNode input = inputs.addObject();
            final ObjectNode properties = OBJECT_MAPPER.createObjectNode();
            for (final Map.Entry<String, Object> field : item.fields().entrySet()) {
                properties.put(field.getKey(), (String) field.getValue());
            }
            switch (batch.operation()) {
                case UPSERT -> {
                    input.put("idProperty", idProperty);
                    input.put("id", item.matchKey());
                }
                case UPDATE -> {
                    if (item.destinationId() != null) {
                        input.put("id", item.destinationId());
                    } else {
                        input.put("idProperty", idProperty);
                        input.put("id", item.matchKey());
                    }
                }
                case CREATE -> properties.put(idProperty, item.matchKey());
                default -> throw new IllegalStateException("Unexpected operation " + batch.operation());
            }
            input.put("objectWriteTraceId", item.itemId());
            input.set("properties", properties);
        }
        return HttpRequestSpec.json("POST", objectsPath + "/batch/" + endpoint(batch.operation()), write(body));
    }

    private static String endpoint(final WriteOperation operation) {
        return switch (operation) {
            case UPSERT -> "upsert";
            case CREATE -> "create";
            case UPDATE -> "update";
            case REMOVE -> "archive";
        };
    }

    @Override
    public BatchResult parseResponse(final WriteBatch batch, final HttpResponseData response) {
        if (batch.operation() == WriteOperation.REMOVE) {
            return new ArchiveSteps(batch.items()).start(response);
        }
        final int status = response.status();
        if (status == 200 || status == 201 || status == 207) {
            return BatchResult.completed(matchResults(batch.items(), readJson(response)));
        }
        return BatchResult.failed(classifyError(response));
    }

    /**
     * Maps results and errors of a 200/201/207 body to items: by objectWriteTraceId, else by id or unique value.
     */
    private Map<String, ItemOutcome> matchResults(final List<WriteItem> items, final JsonNode body) {
        final Map<String, WriteItem> byTraceId = new HashMap<>();
        final Map<String, WriteItem> byKey = new HashMap<>();
        for (final WriteItem item : items) {
            byTraceId.put(item.itemId(), item);
            byKey.put(normalizedKey(item.matchKey()), item);
            if (item.destinationId() != null) {
                byKey.putIfAbsent(item.destinationId(), item);
            }
        }
        final Map<String, ItemOutcome> outcomes = new HashMap<>();
        for (final JsonNode result : body.path("results")) {
            final WriteItem item = findItem(result, byTraceId, byKey);
            if (item != null) {
                final JsonNode isNew = result.get("new");
                final Boolean created = isNew != null && isNew.isBoolean() ? isNew.asBoolean() : null;
                outcomes.put(item.itemId(), ItemOutcome.succeeded(item.itemId(), result.path("id").asText(null), created));
            }
        }
        for (final JsonNode error : body.path("errors")) {
            final String code = errorCode(error);
            final String message = error.path("message").asText("HubSpot rejected the record");
            for (final WriteItem item : itemsOfError(error, byTraceId, byKey)) {
                outcomes.put(item.itemId(), ItemOutcome.failed(item.itemId(), code, message));
            }
        }
        return outcomes;
    }

    private WriteItem findItem(final JsonNode result, final Map<String, WriteItem> byTraceId, final Map<String, WriteItem> byKey) {
        final String traceId = result.path("objectWriteTraceId").asText(null);
        if (traceId != null && byTraceId.containsKey(traceId)) {
            return byTraceId.get(traceId);
        }
        final String uniqueValue = result.path("properties").path(idProperty).asText(null);
        if (uniqueValue != null && byKey.containsKey(normalizedKey(uniqueValue))) {
            return byKey.get(normalizedKey(uniqueValue));
        }
        return byKey.get(result.path("id").asText(""));
    }

    private List<WriteItem> itemsOfError(final JsonNode error, final Map<String, WriteItem> byTraceId, final Map<String, WriteItem> byKey) {
        final List<WriteItem> items = new ArrayList<>();
        final JsonNode context = error.path("context");
        for (final JsonNode traceId : context.path("objectWriteTraceId")) {
            final WriteItem item = byTraceId.get(traceId.asText());
            if (item != null) {
                items.add(item);
            }
        }
        if (items.isEmpty()) {
            for (final JsonNode id : context.path("ids")) {
                final WriteItem item = byKey.get(normalizedKey(id.asText()));
                if (item != null) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    /**
     * The most specific code: the first detail's code (INVALID_EMAIL, INVALID_OPTION, ...), else the category.
     */
    private static String errorCode(final JsonNode error) {
        for (final JsonNode detail : error.path("errors")) {
            final String code = detail.path("code").asText(null);
            if (code != null && !code.isBlank()) {
                return code;
            }
        }
        return error.path("category").asText("HUBSPOT_ERROR");
    }

    private static String normalizedKey(final String key) {
        return key == null ? null : key.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies a response that is not a per-record answer, as HubSpot documents its errors.
     */
    BatchFailure classifyError(final HttpResponseData response) {
        final int status = response.status();
        final JsonNode body = readJsonOrEmpty(response);
        final String message = body.path("message").asText("HubSpot answered HTTP " + status);
        if (status == 429) {
            final String policy = body.path("policyName").asText("");
            if ("DAILY".equalsIgnoreCase(policy)) {
                return new BatchFailure(FailureKind.QUOTA_EXHAUSTED, "RATE_LIMIT_DAILY", message, 0);
            }
            final long retryAt = retryAfterMillis(response);
            return new BatchFailure(FailureKind.RATE_LIMITED, "RATE_LIMIT_" + (policy.isEmpty() ? "UNKNOWN" : policy), message, retryAt);
        }
        if (status >= 500 || status == 408) {
            return BatchFailure.of(FailureKind.TRANSIENT, "HTTP_" + status, message);
        }
        if (status == 401) {
            return BatchFailure.of(FailureKind.UNAUTHORIZED, body.path("category").asText("INVALID_AUTHENTICATION"), message);
        }
        if (status == 400 || status == 409) {
            return BatchFailure.of(FailureKind.INVALID_BATCH, errorCode(body), message);
        }
        return BatchFailure.of(FailureKind.REJECTED, body.path("category").asText("HTTP_" + status), message);
    }

    private static long retryAfterMillis(final HttpResponseData response) {
        final String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            try {
                return response.receivedAt() + (long) (Double.parseDouble(retryAfter.trim()) * 1000);
            } catch (final NumberFormatException ignored) {
                // an HTTP date: fall back to the short pause
            }
        }
        return response.receivedAt() + SHORT_WINDOW_PAUSE_MILLIS;
    }

    @Override
    public RateLimitFeedback readRateLimits(final HttpResponseData response) {
        return new RateLimitFeedback(
                longHeader(response, "X-HubSpot-RateLimit-Max"),
                longHeader(response, "X-HubSpot-RateLimit-Remaining"),
                longHeader(response, "X-HubSpot-RateLimit-Interval-Milliseconds"),
                longHeader(response, "X-HubSpot-RateLimit-Daily"),
                longHeader(response, "X-HubSpot-RateLimit-Daily-Remaining"));
    }

    private static long longHeader(final HttpResponseData response, final String name) {
        final String value = response.header(name);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public boolean supportsCurrentValueReads() {
        return true;
    }

    @Override
    public HttpRequestSpec buildCurrentValuesRequest(final List<WriteItem> items, final Set<String> destinationFields) {
        return readRequest(items, destinationFields);
    }

    private HttpRequestSpec readRequest(final List<WriteItem> items, final Set<String> properties) {
        final ObjectNode body = OBJECT_MAPPER.createObjectNode();
        body.put("idProperty", idProperty);
        final ArrayNode propertyNames = body.putArray("properties");
        propertyNames.add(idProperty);
        for (final String property : properties) {
            if (!property.equals(idProperty)) {
                propertyNames.add(property);
            }
        }
        final ArrayNode inputs = body.putArray("inputs");
        for (final WriteItem item : items) {
            inputs.addObject().put("id", item.matchKey());
        }
        return HttpRequestSpec.json("POST", objectsPath + "/batch/read?archived=false", write(body));
    }

    @Override
    public Map<String, Map<String, String>> parseCurrentValues(final List<WriteItem> items, final HttpResponseData response) {
        if (response.status() != 200 && response.status() != 207) {
            throw new CurrentValuesFailure(classifyError(response));
        }
        final Map<String, WriteItem> byKey = new HashMap<>();
        for (final WriteItem item : items) {
            byKey.put(normalizedKey(item.matchKey()), item);
        }
        final Map<String, Map<String, String>> values = new HashMap<>();
        for (final JsonNode result : readJson(response).path("results")) {
            final WriteItem item = byKey.get(normalizedKey(result.path("properties").path(idProperty).asText(null)));
            if (item == null) {
                continue;
            }
            final Map<String, String> properties = new LinkedHashMap<>();
            result.path("properties").properties().forEach(entry -> properties.put(entry.getKey(), entry.getValue().isNull() ? null : entry.getValue().asText()));
            properties.put("hs_object_id", result.path("id").asText(null));
            values.put(item.itemId(), properties);
        }
        return values;
    }

    private HttpRequestSpec archiveRequest(final List<WriteItem> items) {
        final ObjectNode body = OBJECT_MAPPER.createObjectNode();
        final ArrayNode inputs = body.putArray("inputs");
        boolean allKnown = true;
        for (final WriteItem item : items) {
            if (item.destinationId() == null) {
                allKnown = false;
            }
            inputs.addObject().put("id", item.destinationId() == null ? "" : item.destinationId());
        }
        if (!allKnown) {
            return readRequest(items, Set.of());
        }
        return HttpRequestSpec.json("POST", objectsPath + "/batch/archive", write(body));
    }

    private static JsonNode readJson(final HttpResponseData response) {
        try {
            return OBJECT_MAPPER.readTree(response.body());
        } catch (final IOException e) {
            throw new UncheckedIOException("HubSpot's response is not JSON", e);
        }
    }

    private static JsonNode readJsonOrEmpty(final HttpResponseData response) {
        try {
            final JsonNode node = OBJECT_MAPPER.readTree(response.body());
            return node == null ? OBJECT_MAPPER.createObjectNode() : node;
        } catch (final IOException e) {
            return OBJECT_MAPPER.createObjectNode();
        }
    }

    private static String write(final JsonNode body) {
        try {
            return OBJECT_MAPPER.writeValueAsString(body);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a request body", e);
        }
    }

    /**
     * Removal: when every record id is known, one {@code batch/archive}; otherwise first a {@code batch/read} by the
     * unique property to learn the ids (records not found are already gone: success), then the archive.
     */
    private final class ArchiveSteps {

        private final List<WriteItem> items;

        ArchiveSteps(final List<WriteItem> items) {
            this.items = items;
        }

        BatchResult start(final HttpResponseData response) {
            final boolean readFirst = items.stream().anyMatch(item -> item.destinationId() == null);
            if (!readFirst) {
                return archived(response, items);
            }
            if (response.status() != 200 && response.status() != 207) {
                return BatchResult.failed(classifyError(response));
            }
            final Map<String, WriteItem> byKey = new HashMap<>();
            for (final WriteItem item : items) {
                byKey.put(normalizedKey(item.matchKey()), item);
            }
            final Map<String, ItemOutcome> outcomes = new HashMap<>();
            final List<WriteItem> found = new ArrayList<>();
            for (final JsonNode result : readJson(response).path("results")) {
                final WriteItem item = byKey.remove(normalizedKey(result.path("properties").path(idProperty).asText(null)));
                if (item != null) {
                    found.add(new WriteItem(item.itemId(), item.matchKey(), result.path("id").asText(), item.operation(), item.fields()));
                }
            }
            for (final WriteItem missing : byKey.values()) {
                outcomes.put(missing.itemId(), ItemOutcome.succeeded(missing.itemId(), null, false));
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
                    return archiveRequest(found);
                }

                @Override
                public BatchResult onResponse(final HttpResponseData archiveResponse) {
                    final BatchResult result = archived(archiveResponse, found);
                    if (result instanceof BatchResult.Completed completed) {
                        final Map<String, ItemOutcome> all = new HashMap<>(outcomes);
                        all.putAll(completed.outcomes());
                        return BatchResult.completed(all);
                    }
                    return result;
                }
            });
        }

        private BatchResult archived(final HttpResponseData response, final List<WriteItem> archivedItems) {
            if (response.status() != 204 && response.status() != 200) {
                return BatchResult.failed(classifyError(response));
            }
            final Map<String, ItemOutcome> outcomes = new HashMap<>();
            for (final WriteItem item : archivedItems) {
                outcomes.put(item.itemId(), ItemOutcome.succeeded(item.itemId(), item.destinationId(), false));
            }
            return BatchResult.completed(outcomes);
        }
    }
}
