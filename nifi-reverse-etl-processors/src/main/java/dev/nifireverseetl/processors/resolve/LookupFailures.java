package dev.nifireverseetl.processors.resolve;

import dev.nifireverseetl.processors.engine.BatchFailure;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

/**
 * Classifies a lookup answer that is not a success, for destinations whose write adapter keeps its classifier to
 * itself: 401 refresh, 429 wait (Retry-After), 408/409/5xx transient, anything else permanent.
 */
final class LookupFailures {

    private static final long DEFAULT_WAIT_MILLIS = 10_000;

    private LookupFailures() {
    }

    static BatchFailure classify(final String destination, final HttpResponseData response, final String code, final String message) {
        final int status = response.status();
        final String text = destination + " answered HTTP " + status + (message == null || message.isBlank() ? "" : ": " + message);
        if (status == 401) {
            return BatchFailure.of(FailureKind.UNAUTHORIZED, code, text);
        }
        if (status == 429) {
            return new BatchFailure(FailureKind.RATE_LIMITED, code, text, response.receivedAt() + retryAfterMillis(response));
        }
        if (status == 408 || status == 409 || status >= 500) {
            return BatchFailure.of(FailureKind.TRANSIENT, code, text);
        }
        return BatchFailure.of(FailureKind.REJECTED, code, text);
    }

    private static long retryAfterMillis(final HttpResponseData response) {
        final String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            try {
                return (long) (Double.parseDouble(retryAfter.trim()) * 1000);
            } catch (final NumberFormatException ignored) {
                return DEFAULT_WAIT_MILLIS;
            }
        }
        return DEFAULT_WAIT_MILLIS;
    }
}
