package dev.nifireverseetl.processors.salesforce;

import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * SOQL id lookups (reference §2.4): {@code SELECT Id, Field FROM SObject WHERE Field IN ('a','b')} sent as
 * {@code GET /services/data/vXX.X/query?q=…}; a page with {@code done:false} names the next one in
 * {@code nextRecordsUrl}. String literals escape {@code \} and {@code '} with a backslash.
 */
public final class SoqlQuery {

    /** The longest SOQL statement Salesforce accepts. */
    public static final int MAXIMUM_STATEMENT_LENGTH = 100_000;

    private SoqlQuery() {
    }

    /**
     * @return the value as a quoted SOQL string literal
     */
    public static String literal(final String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * @param values the values the field is compared with (as string literals, so for text-like fields)
     * @return {@code SELECT Id, field FROM sObject WHERE field IN ('…',…)}
     */
    public static String selectIdsWhereIn(final String sObject, final String field, final Collection<String> values) {
        final List<String> literals = new ArrayList<>(values.size());
        for (final String value : values) {
            literals.add(literal(value));
        }
        return "SELECT Id, " + field + " FROM " + sObject + " WHERE " + field + " IN (" + String.join(",", literals) + ")";
    }

    /**
     * @return the percent-encoded form of a statement (or part of one) as it travels in the {@code q} parameter
     */
    public static String encode(final String soql) {
        return URLEncoder.encode(soql, StandardCharsets.UTF_8);
    }

    /**
     * @return {@code GET {instance}/services/data/vXX.X/query?q=…}
     * @throws SalesforceAuthenticationException when there is no session and the token endpoint refuses
     */
    public static HttpRequestSpec request(final SalesforceConnection connection, final String soql) {
        return HttpRequestSpec.get(connection.dataUrl("/query?q=" + encode(soql)));
    }

    /**
     * @param nextRecordsUrl the instance-relative URL of a query page with {@code done:false}
     */
    public static HttpRequestSpec nextPage(final SalesforceConnection connection, final String nextRecordsUrl) {
        return HttpRequestSpec.get(connection.instanceRelativeUrl(nextRecordsUrl));
    }

    /**
     * Classifies a query answer that is not a 2xx: 401 renew the session, 403 REQUEST_LIMIT_EXCEEDED the spent daily
     * allocation (or the concurrent long-running request limit), 5xx transient, any other a refusal of the query
     * (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, ...).
     */
    public static BatchFailure failure(final HttpResponseData response) {
        return SalesforceErrors.classify(response, false);
    }

    /**
     * @return the failure of a 2xx answer whose body cannot be read (transient)
     */
    public static BatchFailure unreadable() {
        return SalesforceErrors.unreadable("a query result");
    }
}
