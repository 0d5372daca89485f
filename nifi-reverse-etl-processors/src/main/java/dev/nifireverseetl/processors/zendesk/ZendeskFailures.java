package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import dev.nifireverseetl.processors.engine.ratelimit.RateLimitFeedback;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Classifies Zendesk's answers that are not a success (reference §3.3, §3.5, §3.6) and reads its limit headers.
 */
final class ZendeskFailures {

    static final String BULK_IMPORT_DISABLED = "BULK_IMPORT_DISABLED";
    static final long MINUTE = 60_000L;
    private static final long DEFAULT_JOB_LIMIT_WAIT = 5_000L;

    private ZendeskFailures() {
    }

    /**
     * @param bulkUserImport true for users/create_or_update_many and users/create_many, where 403 means bulk user
     *                       import is not enabled for the account
     */
    static BatchFailure classify(final HttpResponseData response, final boolean bulkUserImport) {
        final int status = response.status();
        final JsonNode body = body(response);
        final String error = body.path("error").asText("");
        final String description = describe(body);
        if (status == 401) {
            return BatchFailure.of(FailureKind.UNAUTHORIZED, "Unauthorized", "Zendesk could not authenticate the request: " + description);
        }
        if (status == 403 && bulkUserImport) {
            return BatchFailure.of(FailureKind.REJECTED, BULK_IMPORT_DISABLED, "Zendesk refused the bulk user import (HTTP 403). Bulk user import is off until"
                    + " the account owner asks Zendesk Customer Support to enable it; until then users/create_or_update_many and users/create_many"
                    + " always answer 403. Zendesk said: " + description);
        }
        if (status == 403) {
            return BatchFailure.of(FailureKind.REJECTED, error.isEmpty() ? "Forbidden" : error, "Zendesk refused access (HTTP 403): use an admin, or an agent"
                    + " whose role may manage users and organizations; OAuth tokens need the users:write / organizations:write scopes. Zendesk said: "
                    + description);
        }
        if (status == 429) {
            final long retryAfter = retryAfterMillis(response);
            final boolean jobs = "TooManyJobs".equals(error);
            final long wait = retryAfter > 0 ? retryAfter : (jobs ? DEFAULT_JOB_LIMIT_WAIT : MINUTE);
            return new BatchFailure(FailureKind.RATE_LIMITED, jobs ? "TooManyJobs" : "RateLimited", "Zendesk answered 429: " + description,
                    response.receivedAt() + wait);
        }
        if (status == 422 || status == 400) {
            return BatchFailure.of(FailureKind.INVALID_BATCH, error.isEmpty() ? "HTTP_" + status : error, description);
        }
        if (status == 409 || status == 408 || status >= 500) {
            return BatchFailure.of(FailureKind.TRANSIENT, "HTTP_" + status, "Zendesk answered HTTP " + status + ": " + description);
        }
        return BatchFailure.of(FailureKind.REJECTED, error.isEmpty() ? "HTTP_" + status : error, "Zendesk answered HTTP " + status + ": " + description);
    }

    static RateLimitFeedback rateLimits(final HttpResponseData response) {
        final long limit = number(response.header("X-Rate-Limit"), number(response.header("ratelimit-limit"), -1));
        final long remaining = number(response.header("X-Rate-Limit-Remaining"), number(response.header("ratelimit-remaining"), -1));
        if (limit < 0 && remaining < 0) {
            return RateLimitFeedback.NONE;
        }
        return new RateLimitFeedback(limit, remaining, MINUTE, -1, -1);
    }

    private static long retryAfterMillis(final HttpResponseData response) {
        final long seconds = number(response.header("Retry-After"), -1);
        return seconds < 0 ? -1 : seconds * 1000;
    }

    private static long number(final String text, final long fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (final NumberFormatException e) {
            return fallback;
        }
    }

    private static JsonNode body(final HttpResponseData response) {
        try {
            final JsonNode node = ZendeskPayloads.MAPPER.readTree(response.body());
            return node == null ? ZendeskPayloads.MAPPER.createObjectNode() : node;
        } catch (final IOException e) {
            return ZendeskPayloads.MAPPER.createObjectNode();
        }
    }

    /**
     * Zendesk's {@code error} and {@code description}, plus every {@code details.<field>[].description}.
     */
    private static String describe(final JsonNode body) {
        final StringBuilder text = new StringBuilder();
        final JsonNode error = body.get("error");
        if (error != null && error.isTextual()) {
            text.append(error.asText());
        } else if (error != null && error.isObject()) {
            text.append(error.path("title").asText(error.toString()));
        }
        if (body.hasNonNull("description")) {
            text.append(text.isEmpty() ? "" : ": ").append(body.get("description").asText());
        }
        final JsonNode details = body.get("details");
        if (details != null && details.isObject()) {
            final Iterator<Map.Entry<String, JsonNode>> fields = details.fields();
            while (fields.hasNext()) {
                for (final JsonNode detail : fields.next().getValue()) {
                    text.append("; ").append(detail.path("description").asText());
                }
            }
        }
        return text.isEmpty() ? "no details" : text.toString();
    }
}
