package dev.nifireverseetl.processors.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.DestinationAdapter;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.salesforce.SalesforceAuthenticationException;
import dev.nifireverseetl.processors.salesforce.SalesforceConnection;
import dev.nifireverseetl.processors.salesforce.SoqlQuery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Salesforce lookups (reference §2.4): {@code SELECT Id, <field> FROM <sObject> WHERE <field> IN ('a','b',…)} through
 * {@code GET /services/data/vXX.X/query}, following {@code nextRecordsUrl} while {@code done} is false. Built, sent and
 * classified with PutSalesforce's own session, SOQL and error pieces. A group holds at most {@value #MAX_VALUES} values
 * and at most {@value #MAX_ENCODED_IN_LIST_LENGTH} characters of percent-encoded IN list, which keeps the request URL
 * under the ~16 KB Salesforce accepts (far below the 100,000-character SOQL statement limit). SOQL compares text
 * case-insensitively, so values are matched back in lower case; several records holding one value make it ambiguous.
 */
final class SalesforceLookup implements LookupAdapter {

    static final int MAX_VALUES = 200;
    static final int MAX_ENCODED_IN_LIST_LENGTH = 14_000;
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();

    private final SalesforceConnection connection;
    private final DestinationAdapter writeAdapter;
    private final String sObject;
    private final String field;

    /**
     * @param field the API name of the field compared with the match values (text-like: string, email, phone, picklist, ...)
     */
    SalesforceLookup(final SalesforceConnection connection, final String sObject, final String field) {
        this.connection = connection;
        this.sObject = sObject;
        this.field = field;
        this.writeAdapter = connection.destinationAdapter(sObject, field);
    }

    SalesforceConnection connection() {
        return connection;
    }

    @Override
    public DestinationAdapter writeAdapter() {
        return writeAdapter;
    }

    @Override
    public int maxValuesPerRequest() {
        return MAX_VALUES;
    }

    @Override
    public String comparable(final String matchValue) {
        return matchValue.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Packs values into groups by count and by the encoded length of their literals; a value too long for any group
     * travels alone (Salesforce then refuses the request, and the record goes to failure with its answer).
     */
    @Override
    public List<List<String>> requestGroups(final List<String> values, final int batchSize) {
        final int maxCount = Math.max(1, Math.min(batchSize, MAX_VALUES));
        final List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        int length = 0;
        for (final String value : values) {
            final int encoded = SoqlQuery.encode(SoqlQuery.literal(value.trim())).length() + 1;
            if (!group.isEmpty() && (group.size() >= maxCount || length + encoded > MAX_ENCODED_IN_LIST_LENGTH)) {
                groups.add(List.copyOf(group));
                group = new ArrayList<>();
                length = 0;
            }
            group.add(value);
            length += encoded;
        }
        if (!group.isEmpty()) {
            groups.add(List.copyOf(group));
        }
        return groups;
    }

    @Override
    public HttpRequestSpec buildLookup(final List<String> values) {
        final List<String> trimmed = new ArrayList<>(values.size());
        for (final String value : values) {
            trimmed.add(value.trim());
        }
        return SoqlQuery.request(connection, SoqlQuery.selectIdsWhereIn(sObject, field, trimmed));
    }

    @Override
    public LookupPage parseLookup(final List<String> values, final HttpResponseData response) {
        if (!response.isSuccessful()) {
            return LookupPage.failed(SoqlQuery.failure(response));
        }
        final JsonNode body;
        try {
            body = OBJECT_MAPPER.readTree(response.body());
        } catch (final IOException e) {
            return LookupPage.failed(SoqlQuery.unreadable());
        }
        if (body == null || !body.path("records").isArray()) {
            return LookupPage.failed(SoqlQuery.unreadable());
        }
        final LookupPage.Builder page = new LookupPage.Builder();
        for (final JsonNode record : body.path("records")) {
            final JsonNode value = fieldValue(record);
            if (value != null && !value.isNull()) {
                page.add(comparable(value.asText()), record.path("Id").asText(null));
            }
        }
        final String next = body.path("nextRecordsUrl").asText(null);
        return page.build(!body.path("done").asBoolean(true) && next != null ? SoqlQuery.nextPage(connection, next) : null);
    }

    /**
     * Salesforce names the field in its own casing (Email), whatever the casing of the query (email).
     */
    private JsonNode fieldValue(final JsonNode record) {
        final JsonNode exact = record.get(field);
        if (exact != null) {
            return exact;
        }
        final Iterator<String> names = record.fieldNames();
        while (names.hasNext()) {
            final String name = names.next();
            if (name.equalsIgnoreCase(field)) {
                return record.get(name);
            }
        }
        return null;
    }

    /**
     * The session could not be obtained or renewed: the token endpoint refused (a failure of the configuration) or
     * could not be reached (transient).
     */
    @Override
    public BatchFailure credentialFailure(final RuntimeException exception) {
        if (!(exception instanceof SalesforceAuthenticationException)) {
            return null;
        }
        return exception.getCause() instanceof IOException
                ? BatchFailure.of(FailureKind.TRANSIENT, "TOKEN_ENDPOINT_UNREACHABLE", exception.getMessage())
                : BatchFailure.of(FailureKind.REJECTED, "AUTHENTICATION_FAILED", exception.getMessage());
    }
}
