package dev.nifireverseetl.testsupport.emulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorException;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful HubSpot CRM v3 objects emulator, written from destinations.md §1 (never from our client): batch upsert,
 * create, update, read and archive, search, the properties API for one property, bearer-token auth, validation with
 * HubSpot's error bodies, rate limits with HubSpot's headers and 429 bodies, and results in shuffled order (HubSpot does
 * not promise input order). Latency and faults come from the {@link EmulatorServer}.
 * <p>
 * Partial failure rule (§1.3.2): batch create answers 207 with per-input errors when every input has an
 * objectWriteTraceId, otherwise 400 for the whole batch and nothing is written; upsert and update answer 400 for the
 * whole batch on any invalid input; update of a missing record and read of missing ids answer 207 OBJECT_NOT_FOUND.
 */
public final class HubSpotEmulator implements AutoCloseable {

    private static final int MAX_INPUTS = 100;
    private static final String OBJECTS = "/crm/v3/objects/{objectType}";

    private final EmulatorServer server = new EmulatorServer();
    private final Map<String, ObjectStore> stores = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong(1000);
    private final Random shuffle = new Random(42);
    private volatile HubSpotRateLimiter rateLimiter;

    public HubSpotEmulator() {
        objectType("contacts").uniqueProperty("email", PropertyType.EMAIL).property("firstname", PropertyType.STRING).property("lastname", PropertyType.STRING)
                .property("phone", PropertyType.STRING).property("birthday", PropertyType.DATE).property("opt_in", PropertyType.BOOL)
                .property("score", PropertyType.NUMBER).property("last_seen", PropertyType.DATETIME)
                .enumeration("lifecyclestage", false, "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other")
                .enumeration("interests", true, "chocolate", "strawberry", "vanilla")
                .property("hubspot_owner_id", PropertyType.STRING).uniqueProperty("warehouse_id", PropertyType.STRING);
        objectType("companies").property("name", PropertyType.STRING).property("domain", PropertyType.STRING).uniqueProperty("warehouse_id", PropertyType.STRING);
        objectType("deals").property("dealname", PropertyType.STRING).property("amount", PropertyType.NUMBER).uniqueProperty("warehouse_id", PropertyType.STRING);
        objectType("tickets").property("subject", PropertyType.STRING).property("content", PropertyType.STRING).uniqueProperty("warehouse_id", PropertyType.STRING);
        server.route("POST", OBJECTS + "/batch/upsert", this::upsert);
        server.route("POST", OBJECTS + "/batch/create", this::create);
        server.route("POST", OBJECTS + "/batch/update", this::update);
        server.route("POST", OBJECTS + "/batch/read", this::read);
        server.route("POST", OBJECTS + "/batch/archive", this::archive);
        server.route("POST", OBJECTS + "/search", this::search);
        server.route("GET", "/crm/v3/properties/{objectType}/{propertyName}", this::property);
    }

    /**
     * Starts the server; {@link #baseUrl()} is valid afterwards.
     */
    public HubSpotEmulator start() {
        server.start();
        return this;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public EmulatorServer server() {
        return server;
    }

    /**
     * Accepts this bearer token.
     */
    public HubSpotEmulator token(final String token) {
        tokens.add(token);
        return this;
    }

    /**
     * Limits every token to {@code perTenSeconds} requests in any rolling 10 s and {@code daily} requests per day.
     */
    public HubSpotEmulator rateLimit(final int perTenSeconds, final long daily) {
        rateLimiter = new HubSpotRateLimiter(perTenSeconds, daily);
        server.rateLimiter(rateLimiter);
        return this;
    }

    /**
     * Limits every token to {@code perWindow} requests in any rolling window of {@code windowMillis} (HubSpot's is 10 s;
     * tests use shorter ones to see several windows in a few seconds) and {@code daily} requests per day.
     */
    public HubSpotEmulator rateLimit(final int perWindow, final long windowMillis, final long daily) {
        rateLimiter = new HubSpotRateLimiter(perWindow, windowMillis, daily);
        server.rateLimiter(rateLimiter);
        return this;
    }

    public HubSpotRateLimiter rateLimiter() {
        return rateLimiter;
    }

    /**
     * @return the schema of an object type (created empty for a new custom object type id such as 2-1234567)
     */
    public ObjectSchema objectType(final String objectType) {
        return store(objectType).schema();
    }

    public ObjectStore store(final String objectType) {
        return stores.computeIfAbsent(objectType, type -> new ObjectStore(new ObjectSchema(type), ids));
    }

    static String iso(final long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private ObjectStore knownStore(final EmulatorRequest request) {
        authenticate(request);
        final ObjectStore store = stores.get(request.pathVariable("objectType"));
        if (store == null) {
            throw new EmulatorException(error(404, "OBJECT_NOT_FOUND", "Unable to infer object type from: " + request.pathVariable("objectType"), List.of()));
        }
        return store;
    }

    private void authenticate(final EmulatorRequest request) {
        final String token = request.bearerToken();
        if (token == null || !tokens.contains(token)) {
            throw new EmulatorException(error(401, "INVALID_AUTHENTICATION",
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                    List.of()));
        }
    }

    private static ArrayNode inputs(final EmulatorRequest request) {
        final JsonNode body = request.json();
        final JsonNode inputs = body.path("inputs");
        if (!inputs.isArray()) {
            throw new EmulatorException(error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: inputs is required", List.of()));
        }
        if (inputs.size() > MAX_INPUTS) {
            throw new EmulatorException(error(400, "VALIDATION_ERROR", "Batch input limit of " + MAX_INPUTS + " exceeded: " + inputs.size() + " inputs", List.of()));
        }
        return (ArrayNode) inputs;
    }

    private EmulatorResponse upsert(final EmulatorRequest request) {
        final ObjectStore store = knownStore(request);
        final ArrayNode inputs = inputs(request);
        final List<ObjectNode> errors = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (final JsonNode input : inputs) {
            final String idProperty = input.path("idProperty").asText(null);
            final String id = input.path("id").asText(null);
            if (idProperty == null || id == null) {
                errors.add(detail("REQUIRED_FIELD", "id and idProperty are required for upsert", null));
                continue;
            }
            if (!store.schema().isUnique(idProperty)) {
                errors.add(detail("INVALID_ID_PROPERTY", "Property " + idProperty + " does not have unique values and cannot be used as idProperty", idProperty));
            }
            if (!seen.add(store.normalize(idProperty, id))) {
                throw new EmulatorException(error(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input: [" + id + "]. IDs must be unique", List.of()));
            }
            errors.addAll(PropertyValidator.validate(store.schema(), properties(input)));
            final HubSpotProperty idDefinition = store.schema().get(idProperty);
            if (idDefinition != null) {
                errors.addAll(PropertyValidator.validate(store.schema(), Map.of(idProperty, id)));
            }
        }
        if (!errors.isEmpty()) {
            throw new EmulatorException(error(400, "VALIDATION_ERROR", "Property values were not valid: " + messages(errors), errors));
        }
        final long now = server.now();
        final List<ObjectNode> results = new ArrayList<>();
        synchronized (store) {
            for (final JsonNode input : inputs) {
                final String idProperty = input.path("idProperty").asText();
                final String id = input.path("id").asText();
                final Map<String, String> properties = new LinkedHashMap<>(properties(input));
                ObjectStore.StoredObject object = store.findByUnique(idProperty, id);
                final boolean created = object == null;
                properties.put(idProperty, id);
                if (created) {
                    object = store.create(properties, now);
                } else {
                    store.update(object, properties, now);
                }
                final ObjectNode result = result(object, input);
                result.put("new", created);
                results.add(result);
            }
        }
        return batchResponse(200, results, List.of(), now);
    }

    private EmulatorResponse create(final EmulatorRequest request) {
        final ObjectStore store = knownStore(request);
        final ArrayNode inputs = inputs(request);
        boolean everyInputTraced = inputs.size() > 0;
        for (final JsonNode input : inputs) {
            if (input.path("objectWriteTraceId").asText("").isEmpty()) {
                everyInputTraced = false;
            }
        }
        final long now = server.now();
        synchronized (store) {
            final List<ObjectNode> batchErrors = new ArrayList<>();
            final List<List<ObjectNode>> inputErrors = new ArrayList<>();
            final Set<String> uniqueInBatch = new HashSet<>();
            for (final JsonNode input : inputs) {
                final Map<String, String> properties = properties(input);
                final List<ObjectNode> errors = new ArrayList<>(PropertyValidator.validate(store.schema(), properties));
                for (final HubSpotProperty unique : store.schema().uniqueProperties()) {
                    final String value = properties.get(unique.name());
                    if (value == null || value.isEmpty()) {
                        continue;
                    }
                    final ObjectStore.StoredObject existing = store.findByUnique(unique.name(), value);
                    if (existing != null || !uniqueInBatch.add(unique.name() + "=" + store.normalize(unique.name(), value))) {
                        final ObjectNode conflict = detail("CONFLICT", ("email".equals(unique.name()) ? "Contact" : "Object") + " already exists. Existing ID: "
                                + (existing == null ? "in this batch" : existing.id()), unique.name());
                        conflict.put("category", "CONFLICT");
                        errors.add(conflict);
                    }
                }
                inputErrors.add(errors);
                batchErrors.addAll(errors);
            }
            if (!batchErrors.isEmpty() && !everyInputTraced) {
                final boolean conflict = batchErrors.stream().anyMatch(detail -> "CONFLICT".equals(detail.path("code").asText()));
                throw new EmulatorException(conflict
                        ? error(409, "CONFLICT", batchErrors.getFirst().path("message").asText(), batchErrors)
                        : error(400, "VALIDATION_ERROR", "Property values were not valid: " + messages(batchErrors), batchErrors));
            }
            final List<ObjectNode> results = new ArrayList<>();
            final List<ObjectNode> errors = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                final JsonNode input = inputs.get(i);
                if (inputErrors.get(i).isEmpty()) {
                    results.add(result(store.create(properties(input), now), input));
                } else {
                    final boolean conflict = "CONFLICT".equals(inputErrors.get(i).getFirst().path("code").asText());
                    errors.add(batchError(conflict ? "CONFLICT" : "VALIDATION_ERROR", inputErrors.get(i), Map.of("objectWriteTraceId", input.path("objectWriteTraceId").asText())));
                }
            }
            return batchResponse(errors.isEmpty() ? 201 : 207, results, errors, now);
        }
    }

    private EmulatorResponse update(final EmulatorRequest request) {
        final ObjectStore store = knownStore(request);
        final ArrayNode inputs = inputs(request);
        final List<ObjectNode> errors = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (final JsonNode input : inputs) {
            final String id = input.path("id").asText(null);
            if (id == null) {
                errors.add(detail("REQUIRED_FIELD", "id is required for update", null));
                continue;
            }
            if (!seen.add(input.path("idProperty").asText("hs_object_id") + "=" + id)) {
                throw new EmulatorException(error(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input: [" + id + "]. IDs must be unique", List.of()));
            }
            errors.addAll(PropertyValidator.validate(store.schema(), properties(input)));
        }
        if (!errors.isEmpty()) {
            throw new EmulatorException(error(400, "VALIDATION_ERROR", "Property values were not valid: " + messages(errors), errors));
        }
        final long now = server.now();
        final List<ObjectNode> results = new ArrayList<>();
        final List<ObjectNode> notFound = new ArrayList<>();
        synchronized (store) {
            for (final JsonNode input : inputs) {
                final String idProperty = input.path("idProperty").asText(null);
                final String id = input.path("id").asText();
                final ObjectStore.StoredObject object = idProperty == null ? store.findById(id) : store.findByUnique(idProperty, id);
                if (object == null) {
                    final Map<String, String> context = input.has("objectWriteTraceId") ? Map.of("objectWriteTraceId", input.path("objectWriteTraceId").asText())
                            : Map.of("ids", id);
                    notFound.add(batchError("OBJECT_NOT_FOUND", List.of(detail("OBJECT_NOT_FOUND", "Could not get some " + store.schema().objectType()
                            + " objects, they may be deleted or not exist.", null)), context));
                    continue;
                }
                store.update(object, properties(input), now);
                results.add(result(object, input));
            }
        }
        return batchResponse(notFound.isEmpty() ? 200 : 207, results, notFound, now);
    }

    private EmulatorResponse read(final EmulatorRequest request) {
        final ObjectStore store = knownStore(request);
        final JsonNode body = request.json();
        final ArrayNode inputs = inputs(request);
        final String idProperty = body.path("idProperty").asText(null);
        final Set<String> wanted = new HashSet<>();
        for (final JsonNode name : body.path("properties")) {
            wanted.add(name.asText());
        }
        final List<ObjectNode> results = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        synchronized (store) {
            for (final JsonNode input : inputs) {
                final String id = input.path("id").asText();
                final ObjectStore.StoredObject object = idProperty == null ? store.findById(id) : store.findByUnique(idProperty, id);
                if (object == null) {
                    missing.add(id);
                    continue;
                }
                final ObjectNode result = Json.object("id", object.id(), "createdAt", iso(object.createdAt), "updatedAt", iso(object.updatedAt), "archived", false);
                final ObjectNode properties = result.putObject("properties");
                properties.put("hs_object_id", object.id());
                properties.put("createdate", iso(object.createdAt));
                properties.put("lastmodifieddate", iso(object.updatedAt));
                for (final String name : wanted) {
                    final String value = object.properties.get(name);
                    if (value == null || value.isEmpty()) {
                        properties.putNull(name);
                    } else {
                        properties.put(name, value);
                    }
                }
                results.add(result);
            }
        }
        final List<ObjectNode> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            final ObjectNode error = batchError("OBJECT_NOT_FOUND", List.of(), Map.of());
            error.put("message", "Could not get some " + store.schema().objectType() + " objects, they may be deleted or not exist. Check that ids are valid.");
            final ArrayNode ids = error.putObject("context").putArray("ids");
            missing.forEach(ids::add);
            errors.add(error);
        }
        return batchResponse(errors.isEmpty() ? 200 : 207, results, errors, server.now());
    }

    private EmulatorResponse archive(final EmulatorRequest request) {
        final ObjectStore store = knownStore(request);
        final ArrayNode inputs = inputs(request);
        final long now = server.now();
        synchronized (store) {
            for (final JsonNode input : inputs) {
                final ObjectStore.StoredObject object = store.findById(input.path("id").asText());
                if (object != null) {
                    store.archive(object, now);
                }
            }
        }
        return EmulatorResponse.empty(204);
    }

    private EmulatorResponse search(final EmulatorRequest request) {
        final ObjectStore store = knownStore(request);
        return HubSpotSearch.search(store, request.json());
    }

    private EmulatorResponse property(final EmulatorRequest request) {
        authenticate(request);
        final ObjectStore store = stores.get(request.pathVariable("objectType"));
        final HubSpotProperty property = store == null ? null : store.schema().get(request.pathVariable("propertyName"));
        if (property == null) {
            throw new EmulatorException(error(404, "OBJECT_NOT_FOUND", "Unable to find property " + request.pathVariable("propertyName") + " of " + request.pathVariable("objectType"),
                    List.of()));
        }
        final String type = switch (property.type()) {
            case NUMBER -> "number";
            case BOOL -> "bool";
            case DATE -> "date";
            case DATETIME -> "datetime";
            case ENUMERATION -> "enumeration";
            case STRING, EMAIL -> "string";
        };
        return EmulatorResponse.json(200, Json.object("name", property.name(), "label", property.name(), "type", type, "fieldType", "text",
                "hasUniqueValue", property.unique(), "modificationMetadata", Json.object("readOnlyValue", property.readOnly())));
    }

    private static Map<String, String> properties(final JsonNode input) {
        final Map<String, String> properties = new LinkedHashMap<>();
        input.path("properties").properties().forEach(entry -> properties.put(entry.getKey(), entry.getValue().isNull() ? "" : entry.getValue().asText()));
        return properties;
    }

    private ObjectNode result(final ObjectStore.StoredObject object, final JsonNode input) {
        final ObjectNode result = Json.object("id", object.id(), "createdAt", iso(object.createdAt), "updatedAt", iso(object.updatedAt), "archived", false);
        final ObjectNode properties = result.putObject("properties");
        for (final Map.Entry<String, String> property : object.snapshot().entrySet()) {
            properties.put(property.getKey(), property.getValue());
        }
        final String traceId = input.path("objectWriteTraceId").asText(null);
        if (traceId != null) {
            result.put("objectWriteTraceId", traceId);
        }
        return result;
    }

    private EmulatorResponse batchResponse(final int status, final List<ObjectNode> results, final List<ObjectNode> errors, final long now) {
        final List<ObjectNode> shuffled = new ArrayList<>(results);
        synchronized (shuffle) {
            Collections.shuffle(shuffled, shuffle);
        }
        final ObjectNode body = Json.object("status", "COMPLETE", "requestedAt", iso(now), "startedAt", iso(now), "completedAt", iso(server.now()));
        final ArrayNode resultArray = body.putArray("results");
        shuffled.forEach(resultArray::add);
        if (!errors.isEmpty()) {
            body.put("numErrors", errors.size());
            final ArrayNode errorArray = body.putArray("errors");
            errors.forEach(errorArray::add);
        }
        return EmulatorResponse.json(status, body);
    }

    static ObjectNode detail(final String code, final String message, final String propertyName) {
        final ObjectNode detail = Json.object("message", message, "code", code);
        if (propertyName != null) {
            detail.putObject("context").putArray("propertyName").add(propertyName);
        }
        return detail;
    }

    private static ObjectNode batchError(final String category, final List<ObjectNode> details, final Map<String, String> context) {
        final ObjectNode error = Json.object("status", "error", "category", category,
                "message", details.isEmpty() ? category : (category.equals("VALIDATION_ERROR") ? "Property values were not valid: " + messages(details) : details.getFirst().path("message").asText()));
        final ObjectNode contextNode = error.putObject("context");
        for (final Map.Entry<String, String> entry : context.entrySet()) {
            contextNode.putArray(entry.getKey()).add(entry.getValue());
        }
        final ArrayNode detailArray = error.putArray("errors");
        details.forEach(detailArray::add);
        return error;
    }

    private static String messages(final List<ObjectNode> details) {
        final List<String> messages = new ArrayList<>();
        for (final ObjectNode detail : details) {
            messages.add(detail.path("message").asText());
        }
        return String.join("; ", messages);
    }

    static EmulatorResponse error(final int status, final String category, final String message, final List<ObjectNode> details) {
        final ObjectNode body = Json.object("status", "error", "message", message, "correlationId", UUID.randomUUID().toString(), "category", category);
        if (!details.isEmpty()) {
            final ArrayNode errors = body.putArray("errors");
            details.forEach(errors::add);
        }
        body.putObject("context");
        return EmulatorResponse.json(status, body);
    }

    /**
     * @return copies of the live records of an object type
     */
    public List<Map<String, String>> records(final String objectType) {
        return store(objectType).liveRecords();
    }

    @Override
    public void close() {
        server.close();
    }
}
