package dev.nifireverseetl.processors.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitFeedback;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Salesforce's answers that are not per-record results: request-level error arrays
 * ({@code [{"errorCode":"…","message":"…"}]}), the {@code Sforce-Limit-Info} header, and which record error codes
 * are worth retrying.
 */
final class SalesforceErrors {

    static final ObjectMapper OBJECT_MAPPER = new ObjectMapper();
    static final String LIMIT_INFO_HEADER = "Sforce-Limit-Info";
    /** The allocation is a rolling 24 h window; after it is spent the processor checks again after this long. */
    static final long ALLOCATION_RECHECK_MILLIS = 60 * 60 * 1000L;
    private static final long CONCURRENCY_BACKOFF_MILLIS = 5_000;
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");
    private static final Set<String> RETRYABLE_RECORD_CODES = Set.of("UNABLE_TO_LOCK_ROW", "REQUEST_RUNNING_TOO_LONG", "SERVER_UNAVAILABLE");

    private SalesforceErrors() {
    }

    static boolean isRetryableRecordCode(final String statusCode) {
        return RETRYABLE_RECORD_CODES.contains(statusCode);
    }

    /**
     * Classifies a response that is not a 2xx.
     *
     * @param batchLevel true for a write of records (a 400 may come from one bad record: bisect), false for a step of a
     *                   Bulk job or a lookup (a 400 is a refusal of the whole request)
     */
    static BatchFailure classify(final HttpResponseData response, final boolean batchLevel) {
        final JsonNode first = firstError(response);
        final String code = first == null ? "HTTP_" + response.status() : first.path("errorCode").asText("HTTP_" + response.status());
        final String message = first == null ? "HTTP " + response.status() : first.path("message").asText("");
        final int status = response.status();
        if (status == 401) {
            return BatchFailure.of(FailureKind.UNAUTHORIZED, code, message);
        }
        if (status == 403 && "REQUEST_LIMIT_EXCEEDED".equals(code)) {
            if (message.startsWith("ConcurrentPerOrgLongTxn")) {
                return new BatchFailure(FailureKind.RATE_LIMITED, code, message, response.receivedAt() + CONCURRENCY_BACKOFF_MILLIS);
            }
            return new BatchFailure(FailureKind.QUOTA_EXHAUSTED, code, message, response.receivedAt() + ALLOCATION_RECHECK_MILLIS);
        }
        if (status == 429) {
            return new BatchFailure(FailureKind.RATE_LIMITED, code, message, 0);
        }
        if (status >= 500 || status == 408) {
            return BatchFailure.of(FailureKind.TRANSIENT, code, message);
        }
        if (status == 400 && batchLevel) {
            return BatchFailure.of(FailureKind.INVALID_BATCH, code, message);
        }
        return BatchFailure.of(FailureKind.REJECTED, code, message);
    }

    static BatchFailure unreadable(final String what) {
        return BatchFailure.of(FailureKind.TRANSIENT, "UNREADABLE_RESPONSE", "Salesforce answered with " + what + " that cannot be read");
    }

    private static JsonNode firstError(final HttpResponseData response) {
        try {
            final JsonNode body = OBJECT_MAPPER.readTree(response.body());
            if (body != null && body.isArray() && !body.isEmpty()) {
                return body.get(0);
            }
            return body != null && body.isObject() ? body : null;
        } catch (final IOException e) {
            return null;
        }
    }

    /**
     * @return the daily allocation from {@code Sforce-Limit-Info: api-usage=N/M}
     */
    static RateLimitFeedback limitFeedback(final HttpResponseData response) {
        final String header = response.header(LIMIT_INFO_HEADER);
        if (header == null) {
            return RateLimitFeedback.NONE;
        }
        final Matcher matcher = API_USAGE.matcher(header);
        if (!matcher.find()) {
            return RateLimitFeedback.NONE;
        }
        final long used = Long.parseLong(matcher.group(1));
        final long max = Long.parseLong(matcher.group(2));
        return new RateLimitFeedback(-1, -1, -1, max, Math.max(0, max - used));
    }
}
