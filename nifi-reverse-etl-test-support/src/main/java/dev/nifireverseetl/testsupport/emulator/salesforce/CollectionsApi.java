package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sObject Collections: create ({@code POST /composite/sobjects}), update ({@code PATCH /composite/sobjects}), upsert
 * by External ID ({@code PATCH /composite/sobjects/{SObject}/{ExternalIdField}}, API v46.0+) and delete
 * ({@code DELETE /composite/sobjects?ids=}). At most 200 records, each with {@code attributes.type}; records are
 * processed in request order and results come back in the same order; a well-formed request answers 200 even when
 * every record failed. With {@code allOrNone:true} any failure rolls back the whole request and the otherwise good
 * records report ALL_OR_NONE_OPERATION_ROLLED_BACK. The same external id twice in one upsert fails those records with
 * DUPLICATE_VALUE.
 */
final class CollectionsApi {

    static final int MAXIMUM_RECORDS = 200;
    private static final int MAXIMUM_CHUNKS = 10;
    private static final int MINIMUM_UPSERT_VERSION = 46;

    private final SObjectStore store;

    CollectionsApi(final SObjectStore store) {
        this.store = store;
    }

    EmulatorResponse create(final EmulatorRequest request) {
        final CollectionRequest body = parse(request);
        checkChunks(body.records());
        return execute(body.allOrNone(), body.records().size(), (transaction, index) -> {
            final ObjectNode record = body.records().get(index);
            return store.create(transaction, objectOf(record), record);
        });
    }

    EmulatorResponse update(final EmulatorRequest request) {
        final CollectionRequest body = parse(request);
        checkChunks(body.records());
        return execute(body.allOrNone(), body.records().size(), (transaction, index) -> {
            final ObjectNode record = body.records().get(index);
            final SObjectDefinition object = objectOf(record);
            final JsonNode id = SObjectStore.valueIgnoringCase(record, "id");
            if (id == null || id.isNull() || id.asText().isEmpty()) {
                throw new RecordError.Rejected(RecordError.of("MISSING_ARGUMENT", "Id not specified in an update call"));
            }
            return store.update(transaction, object, id.asText(), record);
        });
    }

    EmulatorResponse upsert(final EmulatorRequest request) {
        requireVersion(request, MINIMUM_UPSERT_VERSION);
        final SObjectDefinition object = store.definition(request.pathVariable("sObject"));
        if (object == null) {
            throw SalesforceErrors.exception(404, "NOT_FOUND", "The requested resource does not exist");
        }
        final FieldDefinition externalId = object.field(request.pathVariable("externalIdField"));
        if (externalId == null || !externalId.idLookup() || externalId.type() == FieldType.ID) {
            throw SalesforceErrors.exception(400, "INVALID_FIELD",
                    "Provided external ID field does not exist or is not accessible: " + request.pathVariable("externalIdField"));
        }
        final CollectionRequest body = parse(request);
        final Map<String, Integer> keyCounts = new HashMap<>();
        final List<String> keys = new ArrayList<>();
        for (final ObjectNode record : body.records()) {
            if (!objectOf(record).name().equals(object.name())) {
                throw SalesforceErrors.exception(400, "INVALID_TYPE", "The sObject type in attributes must be " + object.name());
            }
            final JsonNode key = SObjectStore.valueIgnoringCase(record, externalId.name());
            final String normalized = key == null || key.isNull() ? null : externalId.caseSensitive() ? key.asText() : key.asText().toLowerCase(Locale.ROOT);
            keys.add(normalized);
            if (normalized != null) {
                keyCounts.merge(normalized, 1, Integer::sum);
            }
        }
        return execute(body.allOrNone(), body.records().size(), (transaction, index) -> {
            final String key = keys.get(index);
            if (key != null && keyCounts.get(key) > 1) {
                throw new RecordError.Rejected(RecordError.of("DUPLICATE_VALUE", "Duplicate external id specified: " + key, externalId.name()));
            }
            return store.upsert(transaction, object, externalId, body.records().get(index));
        });
    }

    EmulatorResponse delete(final EmulatorRequest request) {
        final String idList = request.query("ids");
        if (idList == null || idList.isBlank()) {
            throw SalesforceErrors.exception(400, "MISSING_ARGUMENT", "ids parameter is required");
        }
        final String[] ids = idList.split(",");
        if (ids.length > MAXIMUM_RECORDS) {
            throw SalesforceErrors.exception(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }
        final boolean allOrNone = Boolean.parseBoolean(request.query("allOrNone"));
        return execute(allOrNone, ids.length, (transaction, index) -> store.delete(transaction, ids[index].trim()), ids);
    }

    private interface RecordWrite {
        SObjectStore.WriteOutcome write(SObjectStore.Transaction transaction, int index);
    }

    private EmulatorResponse execute(final boolean allOrNone, final int count, final RecordWrite write) {
        return execute(allOrNone, count, write, null);
    }

    private EmulatorResponse execute(final boolean allOrNone, final int count, final RecordWrite write, final String[] requestedIds) {
        final List<Object> outcomes = new ArrayList<>(count);
        boolean anyFailed = false;
        try (SObjectStore.Transaction transaction = store.begin()) {
            for (int index = 0; index < count; index++) {
                try {
                    outcomes.add(write.write(transaction, index));
                } catch (final RecordError.Rejected rejected) {
                    outcomes.add(rejected.error());
                    anyFailed = true;
                }
            }
            if (allOrNone && anyFailed) {
                transaction.rollback();
            }
        }
        final ArrayNode results = Json.MAPPER.createArrayNode();
        for (int index = 0; index < outcomes.size(); index++) {
            final Object outcome = outcomes.get(index);
            final ObjectNode result = results.addObject();
            if (outcome instanceof SObjectStore.WriteOutcome written && !(allOrNone && anyFailed)) {
                result.put("id", written.id());
                result.put("success", true);
                result.putArray("errors");
                if (requestedIds == null) {
                    result.put("created", written.created());
                }
            } else {
                if (requestedIds != null) {
                    result.put("id", requestedIds[index].trim());
                } else {
                    result.putNull("id");
                }
                result.put("success", false);
                final RecordError error = outcome instanceof RecordError recordError ? recordError
                        : RecordError.of("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header");
                result.putArray("errors").add(error.toJson());
            }
        }
        return EmulatorResponse.json(200, results);
    }

    private SObjectDefinition objectOf(final ObjectNode record) {
        final JsonNode type = record.path("attributes").path("type");
        if (!type.isTextual() || type.textValue().isEmpty()) {
            throw SalesforceErrors.exception(400, "INVALID_TYPE", "Must send a concrete entity type.");
        }
        final SObjectDefinition object = store.definition(type.textValue());
        if (object == null) {
            throw SalesforceErrors.exception(400, "INVALID_TYPE", "sObject type '" + type.textValue() + "' is not supported.");
        }
        return object;
    }

    private void checkChunks(final List<ObjectNode> records) {
        int chunks = 0;
        String previous = null;
        for (final ObjectNode record : records) {
            final String type = objectOf(record).name();
            if (!type.equals(previous)) {
                chunks++;
                previous = type;
            }
        }
        if (chunks > MAXIMUM_CHUNKS) {
            throw SalesforceErrors.exception(400, "INVALID_BATCH_REQUEST", "Cannot have more than 10 chunks in a single operation. Please rearrange the data to reduce chunking.");
        }
    }

    private record CollectionRequest(boolean allOrNone, List<ObjectNode> records) {
    }

    private static CollectionRequest parse(final EmulatorRequest request) {
        final JsonNode body;
        try {
            body = Json.MAPPER.readTree(request.body());
        } catch (final Exception e) {
            throw SalesforceErrors.exception(400, "JSON_PARSER_ERROR", "Unexpected character in the request body");
        }
        if (body == null || !body.isObject() || !body.path("records").isArray()) {
            throw SalesforceErrors.exception(400, "JSON_PARSER_ERROR", "The request body must be an object with a records array");
        }
        final JsonNode records = body.get("records");
        if (records.isEmpty()) {
            throw SalesforceErrors.exception(400, "INVALID_INPUT", "No records were sent");
        }
        if (records.size() > MAXIMUM_RECORDS) {
            throw SalesforceErrors.exception(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }
        final List<ObjectNode> list = new ArrayList<>(records.size());
        for (final JsonNode record : records) {
            if (!record.isObject()) {
                throw SalesforceErrors.exception(400, "JSON_PARSER_ERROR", "Each record must be a JSON object");
            }
            list.add((ObjectNode) record);
        }
        return new CollectionRequest(body.path("allOrNone").asBoolean(false), list);
    }

    static void requireVersion(final EmulatorRequest request, final int minimum) {
        final String version = request.pathVariable("version");
        if (version == null || !version.matches("v\\d{2,3}\\.0")) {
            throw SalesforceErrors.exception(404, "NOT_FOUND", "The requested resource does not exist");
        }
        if (Integer.parseInt(version.substring(1, version.indexOf('.'))) < minimum) {
            throw SalesforceErrors.exception(404, "NOT_FOUND", "The requested resource does not exist");
        }
    }
}
