package dev.nifireverseetl.processors.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.http.DestinationClient;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.salesforce.SalesforceConnection;
import dev.nifireverseetl.processors.salesforce.SoqlQuery;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ResolveExternalIds' verification for Salesforce: obtains a session, describes the sObject, and checks that the
 * Destination Match Property is a field of it that SOQL can filter with string literals.
 */
final class SalesforceVerification {

    /** Describe types whose values SOQL compares with string literals (case-insensitively). */
    static final Set<String> TEXT_TYPES = Set.of("string", "email", "phone", "url", "picklist", "combobox", "id", "reference", "textarea");

    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    private static final String AUTHENTICATE = "Authenticate";
    private static final String DESCRIBE = "Describe sObject";
    private static final String CHECK_FIELD = "Check Destination Match Property";

    private SalesforceVerification() {
    }

    static List<ConfigVerificationResult> verify(final String sObject, final String field, final LookupSetup setup, final DestinationClient client) {
        final List<ConfigVerificationResult> results = new ArrayList<>();
        final SalesforceLookup lookup = (SalesforceLookup) setup.adapter();
        final SalesforceConnection connection = lookup.connection();
        final String describeUrl;
        try {
            connection.credential().authorizationHeader();
            describeUrl = connection.dataUrl("/sobjects/" + sObject + "/describe");
            results.add(step(AUTHENTICATE, Outcome.SUCCESSFUL, "Obtained an access token; API calls go to " + connection.instanceUrl()));
        } catch (final RuntimeException e) {
            results.add(step(AUTHENTICATE, Outcome.FAILED, e.getMessage()));
            results.add(step(DESCRIBE, Outcome.SKIPPED, "Authentication failed"));
            results.add(step(CHECK_FIELD, Outcome.SKIPPED, "Authentication failed"));
            return results;
        }
        final JsonNode describe;
        try {
            final HttpResponseData response = client.send(HttpRequestSpec.get(describeUrl));
            if (!response.isSuccessful()) {
                final BatchFailure failure = SoqlQuery.failure(response);
                results.add(step(DESCRIBE, Outcome.FAILED, "Salesforce answered HTTP " + response.status() + " for " + sObject + " (API "
                        + connection.apiVersion() + "): " + failure.code() + (response.status() == 404 ? " (no such sObject, or the user cannot see it)" : "")));
                results.add(step(CHECK_FIELD, Outcome.SKIPPED, "The sObject could not be described"));
                return results;
            }
            describe = OBJECT_MAPPER.readTree(response.body());
            final long remaining = lookup.writeAdapter().readRateLimits(response).dailyRemaining();
            results.add(step(DESCRIBE, Outcome.SUCCESSFUL, sObject + " exists with " + describe.path("fields").size() + " fields (API " + connection.apiVersion()
                    + ")" + (remaining >= 0 ? "; " + remaining + " API requests left today" : "")));
        } catch (final IOException | RuntimeException e) {
            results.add(step(DESCRIBE, Outcome.FAILED, "Cannot describe " + sObject + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            results.add(step(CHECK_FIELD, Outcome.SKIPPED, "The sObject could not be described"));
            return results;
        }
        results.add(checkField(sObject, field, describe));
        return results;
    }

    private static ConfigVerificationResult checkField(final String sObject, final String field, final JsonNode describe) {
        JsonNode found = null;
        for (final JsonNode candidate : describe.path("fields")) {
            if (candidate.path("name").asText().equalsIgnoreCase(field)) {
                found = candidate;
            }
        }
        if (found == null) {
            return step(CHECK_FIELD, Outcome.FAILED, sObject + " has no field " + field + " (use the field's API name, for example Warehouse_Id__c)");
        }
        final String type = found.path("type").asText("");
        if (!TEXT_TYPES.contains(type)) {
            return step(CHECK_FIELD, Outcome.FAILED, field + " is a " + type + " field; lookups compare text fields (string, email, phone, url, picklist, "
                    + "id, reference) with SOQL string literals");
        }
        if (!found.path("filterable").asBoolean(true)) {
            return step(CHECK_FIELD, Outcome.FAILED, field + " cannot be used in a SOQL WHERE clause (not filterable: long text areas, encrypted fields)");
        }
        final boolean unique = found.path("unique").asBoolean(false) || "id".equals(type);
        return step(CHECK_FIELD, Outcome.SUCCESSFUL, field + " is a filterable " + type + " field" + (unique
                ? " with unique values: each value matches at most one record"
                : " without unique values: records sharing a value go to ambiguous")
                + (found.path("caseSensitive").asBoolean(false) ? "; its uniqueness is case-sensitive, but lookups match case-insensitively like SOQL" : "")
                + (found.path("externalId").asBoolean(false) ? "; it is an External ID field (PutSalesforce can upsert by it)" : ""));
    }

    private static ConfigVerificationResult step(final String name, final Outcome outcome, final String explanation) {
        return new ConfigVerificationResult.Builder().verificationStepName(name).outcome(outcome).explanation(explanation).build();
    }
}
