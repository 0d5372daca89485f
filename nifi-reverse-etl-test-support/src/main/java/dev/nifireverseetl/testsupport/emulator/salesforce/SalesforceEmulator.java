package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.EmulatorServer;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RequestHandler;

import java.util.List;

/**
 * A stateful Salesforce org for tests and benchmarks, written from {@code shared/reference/destinations.md} §2: the
 * OAuth token endpoint (client credentials and JWT bearer), sessions that expire, sObjects with configurable field
 * metadata and External ID indexes, sObject Collections (create, update, upsert, delete), Bulk API 2.0 ingest jobs,
 * SOQL id lookups with paging, describe, {@code /limits}, the {@code Sforce-Limit-Info} header, the daily API
 * allocation and the concurrent long-running request limit. Latency and faults come from the {@link EmulatorServer}.
 * <p>
 * It starts with the sObjects {@link SObjectDefinition#standardAccount() Account} and
 * {@link SObjectDefinition#standardContact() Contact}; tests define more with {@link #define(SObjectDefinition)}.
 */
public final class SalesforceEmulator implements AutoCloseable {

    private static final String DATA = "/services/data/{version}";

    private final EmulatorServer server;
    private final SObjectStore store;
    private final SalesforceAuth auth;
    private final SalesforceLimits limits;
    private final BulkIngestApi bulk;

    private SalesforceEmulator(final EmulatorServer server) {
        this.server = server;
        this.store = new SObjectStore(server::now);
        this.auth = new SalesforceAuth(server::now, server::baseUrl);
        this.limits = new SalesforceLimits(auth);
        this.bulk = new BulkIngestApi(store, limits, server::now);
        final CollectionsApi collections = new CollectionsApi(store);
        final SoqlQueries queries = new SoqlQueries(store);
        server.rateLimiter(limits);
        server.route("POST", "/services/oauth2/token", auth::token);
        data("POST", "/composite/sobjects", collections::create);
        data("PATCH", "/composite/sobjects", collections::update);
        data("DELETE", "/composite/sobjects", collections::delete);
        data("PATCH", "/composite/sobjects/{sObject}/{externalIdField}", collections::upsert);
        data("POST", "/jobs/ingest", bulk::create);
        data("GET", "/jobs/ingest/{jobId}", bulk::info);
        data("PATCH", "/jobs/ingest/{jobId}", bulk::changeState);
        data("DELETE", "/jobs/ingest/{jobId}", bulk::delete);
        data("PUT", "/jobs/ingest/{jobId}/batches", bulk::upload);
        data("GET", "/jobs/ingest/{jobId}/successfulResults", bulk::successfulResults);
        data("GET", "/jobs/ingest/{jobId}/failedResults", bulk::failedResults);
        data("GET", "/jobs/ingest/{jobId}/unprocessedrecords", bulk::unprocessedRecords);
        data("GET", "/query", queries::query);
        data("GET", "/query/{queryLocator}", queries::queryMore);
        data("GET", "/sobjects/{sObject}/describe", this::describe);
        data("GET", "/limits", request -> EmulatorResponse.json(200, limits.limitsBody()));
        store.define(SObjectDefinition.standardAccount());
        store.define(SObjectDefinition.standardContact());
    }

    /**
     * Starts an emulator on a free loopback port.
     */
    public static SalesforceEmulator start() {
        return new SalesforceEmulator(new EmulatorServer().start());
    }

    private void data(final String method, final String path, final RequestHandler handler) {
        server.route(method, DATA + path, request -> {
            try {
                return handler.handle(request);
            } finally {
                limits.finishRequest();
            }
        });
    }

    /**
     * @return the login and instance URL (both are the emulator)
     */
    public String baseUrl() {
        return server.baseUrl();
    }

    public EmulatorServer server() {
        return server;
    }

    public SObjectStore store() {
        return store;
    }

    public SalesforceAuth auth() {
        return auth;
    }

    public SalesforceLimits limits() {
        return limits;
    }

    public SalesforceEmulator define(final SObjectDefinition definition) {
        store.define(definition);
        return this;
    }

    /**
     * Bulk jobs wait {@code queuedMillis} after UploadComplete before InProgress, then {@code processingMillis} before
     * their rows are written and they are JobComplete.
     */
    public SalesforceEmulator bulkDelays(final long queuedMillis, final long processingMillis) {
        bulk.delays(queuedMillis, processingMillis);
        return this;
    }

    public SalesforceEmulator bulkMaximumUploadBytes(final long bytes) {
        bulk.maximumUploadBytes(bytes);
        return this;
    }

    /**
     * Bulk jobs created from now on end this way (for example {@link BulkJobFate#NEVER_COMPLETE}: InProgress until
     * aborted).
     */
    public SalesforceEmulator bulkJobFate(final BulkJobFate fate) {
        bulk.fate(fate);
        return this;
    }

    /**
     * The next Bulk job created fails as a whole (state Failed with this errorMessage; every row unprocessed).
     */
    public SalesforceEmulator failNextBulkJob(final String errorMessage) {
        bulk.failNextJob(errorMessage);
        return this;
    }

    /**
     * @return how many Bulk ingest jobs exist (deleted jobs excluded)
     */
    public int bulkJobCount() {
        return bulk.jobCount();
    }

    /**
     * @return the CSV bytes accepted by all Bulk uploads
     */
    public long bulkUploadedBytes() {
        return bulk.uploadedBytes();
    }

    public List<String> bulkJobStates() {
        return bulk.jobStates();
    }

    private EmulatorResponse describe(final EmulatorRequest request) {
        final SObjectDefinition object = store.definition(request.pathVariable("sObject"));
        if (object == null) {
            return SalesforceErrors.notFound();
        }
        final ObjectNode body = Json.object("name", object.name(), "label", object.name(), "keyPrefix", object.keyPrefix(),
                "custom", object.name().endsWith("__c"), "createable", true, "updateable", true, "deletable", true, "queryable", true);
        final ArrayNode fields = body.putArray("fields");
        for (final FieldDefinition field : object.fields()) {
            final ObjectNode node = fields.addObject();
            node.put("name", field.name());
            node.put("label", field.name());
            node.put("type", field.type().describeName());
            node.put("length", field.length());
            node.put("nillable", field.nillable());
            node.put("createable", field.createable());
            node.put("updateable", field.updateable());
            node.put("externalId", field.externalId());
            node.put("idLookup", field.idLookup());
            node.put("unique", field.unique());
            node.put("caseSensitive", field.caseSensitive());
            node.put("filterable", SoqlQueries.filterable(field));
            node.put("defaultedOnCreate", field.defaultedOnCreate());
            node.put("custom", field.name().endsWith("__c"));
            final ArrayNode referenceTo = node.putArray("referenceTo");
            if (field.referenceTo() != null) {
                referenceTo.add(field.referenceTo());
            }
            if (field.relationshipName() == null) {
                node.putNull("relationshipName");
            } else {
                node.put("relationshipName", field.relationshipName());
            }
            node.put("restrictedPicklist", !field.restrictedPicklistValues().isEmpty());
            final ArrayNode picklistValues = node.putArray("picklistValues");
            for (final String value : field.restrictedPicklistValues()) {
                picklistValues.addObject().put("value", value).put("label", value).put("active", true);
            }
        }
        return EmulatorResponse.json(200, body);
    }

    @Override
    public void close() {
        server.close();
    }
}
