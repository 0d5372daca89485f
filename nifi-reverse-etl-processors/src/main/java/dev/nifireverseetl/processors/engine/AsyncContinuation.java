package dev.nifireverseetl.processors.engine;

import dev.nifireverseetl.processors.engine.http.HttpRequestSpec;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;

/**
 * The next step of an asynchronous or multi-step write (see {@link BatchResult.Pending}). Examples:
 * <ul>
 *     <li>Zendesk {@code create_or_update_many}: the response holds a job_status; the continuation polls
 *     {@code GET /api/v2/job_statuses/{id}} (delay growing 1 s → 10 s) until {@code completed}, then maps
 *     {@code results[]} (in request order) to items.</li>
 *     <li>Salesforce Bulk API 2.0: create job → continuation uploads the CSV (PUT), closes (PATCH UploadComplete),
 *     polls the job, then fetches successfulResults, failedResults and unprocessedrecords and joins them to the items
 *     on the external id column. Each step returns the next continuation.</li>
 *     <li>HubSpot archive of records whose id is unknown: batch/read by idProperty, then batch/archive by id.</li>
 * </ul>
 * A continuation is used by one thread at a time; it may keep state between steps.
 */
public interface AsyncContinuation {

    /**
     * @return how long to wait before sending {@link #nextRequest()} (0 to send at once)
     */
    long delayMillis();

    /**
     * @return the request of this step (sent through the rate budget, with the credential added by the engine)
     */
    HttpRequestSpec nextRequest();

    /**
     * Interprets the response of this step. Transient failures of the step ({@link FailureKind#TRANSIENT},
     * {@link FailureKind#RATE_LIMITED}, {@link FailureKind#UNAUTHORIZED}) make the engine resend the same step, so
     * steps must be safe to repeat (polls and result fetches are; uploads should be).
     *
     * @return the outcomes, a failure, or the next step
     */
    BatchResult onResponse(HttpResponseData response);

    /**
     * Asked after the delay, before {@link #nextRequest()} is sent: a step whose answer is already known without a
     * request of its own (for example, another batch's poll of several jobs at once saw this batch's job end) returns
     * it here, and the engine sends nothing.
     *
     * @return the outcomes, a failure or the next step, as {@link #onResponse} would; null to send {@link #nextRequest()}
     */
    default BatchResult resultWithoutRequest() {
        return null;
    }
}
