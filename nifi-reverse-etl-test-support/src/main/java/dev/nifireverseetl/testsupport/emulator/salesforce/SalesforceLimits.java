package dev.nifireverseetl.testsupport.emulator.salesforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.QuotaCounter;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate every REST request ({@code /services/data/...}) passes: a valid session (else 401 INVALID_SESSION_ID),
 * the org's daily API request allocation (each call counts 1; when it is spent, 403 REQUEST_LIMIT_EXCEEDED
 * "TotalRequests Limit exceeded."), and the limit of concurrent long-running requests (requests running for at least
 * the long-running threshold, default 20 s; when 25 are running, new requests get 403 REQUEST_LIMIT_EXCEEDED
 * "ConcurrentPerOrgLongTxn Limit exceeded."). Every admitted response carries {@code Sforce-Limit-Info: api-usage=N/M}.
 * The OAuth endpoint is outside the gate.
 */
public final class SalesforceLimits implements RateLimiter {

    static final String LIMIT_HEADER = "Sforce-Limit-Info";

    private final SalesforceAuth auth;
    private final QuotaCounter dailyRequests = new QuotaCounter(100_000);
    private final QuotaCounter dailyBulkBatches = new QuotaCounter(15_000);
    private final Map<Long, Long> inFlightStarts = new ConcurrentHashMap<>();
    private final AtomicLong requestSequence = new AtomicLong();
    private final ThreadLocal<Long> currentRequest = new ThreadLocal<>();
    private volatile int concurrentLongRunningLimit = 25;
    private volatile long longRunningThresholdMillis = 20_000;
    private volatile long processingMillis;
    private volatile int maxConcurrentSeen;

    SalesforceLimits(final SalesforceAuth auth) {
        this.auth = auth;
    }

    public SalesforceLimits dailyApiRequests(final long allocation) {
        dailyRequests.setLimit(allocation);
        return this;
    }

    /**
     * @param limit              how many long-running requests may run at once (25 in production orgs, 5 in Developer Edition)
     * @param thresholdMillis    how long a request must have run to count as long-running (20 s in Salesforce; 0 counts every request)
     */
    public SalesforceLimits concurrentLongRunningRequests(final int limit, final long thresholdMillis) {
        this.concurrentLongRunningLimit = limit;
        this.longRunningThresholdMillis = thresholdMillis;
        return this;
    }

    /**
     * Every REST request takes this long inside the server (it counts as in flight meanwhile).
     */
    public SalesforceLimits processingMillis(final long millis) {
        this.processingMillis = millis;
        return this;
    }

    public QuotaCounter dailyRequests() {
        return dailyRequests;
    }

    public QuotaCounter dailyBulkBatches() {
        return dailyBulkBatches;
    }

    /**
     * @return the most requests that were in flight at the same moment
     */
    public int maxConcurrentSeen() {
        return maxConcurrentSeen;
    }

    @Override
    public EmulatorResponse admit(final EmulatorRequest request, final long nowMillis) {
        if (!request.path().startsWith("/services/data/")) {
            return null;
        }
        if (!auth.isValid(request.bearerToken())) {
            return SalesforceErrors.invalidSession();
        }
        synchronized (this) {
            int longRunning = 0;
            for (final Long start : inFlightStarts.values()) {
                if (nowMillis - start >= longRunningThresholdMillis) {
                    longRunning++;
                }
            }
            if (longRunning >= concurrentLongRunningLimit) {
                return decorate(request, SalesforceErrors.response(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."), nowMillis);
            }
            if (!dailyRequests.tryAcquire()) {
                return decorate(request, SalesforceErrors.response(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), nowMillis);
            }
            final long requestId = requestSequence.incrementAndGet();
            inFlightStarts.put(requestId, nowMillis);
            currentRequest.set(requestId);
            maxConcurrentSeen = Math.max(maxConcurrentSeen, inFlightStarts.size());
        }
        return null;
    }

    @Override
    public EmulatorResponse decorate(final EmulatorRequest request, final EmulatorResponse response, final long nowMillis) {
        if (!request.path().startsWith("/services/data/")) {
            return response;
        }
        return response.withHeader(LIMIT_HEADER, "api-usage=" + dailyRequests.used() + "/" + dailyRequests.limit());
    }

    /**
     * Called by the REST routes around their handling: waits the processing time, then ends the request's in-flight span.
     */
    void finishRequest() {
        final long wait = processingMillis;
        try {
            if (wait > 0) {
                Thread.sleep(wait);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            final Long requestId = currentRequest.get();
            if (requestId != null) {
                inFlightStarts.remove(requestId);
                currentRequest.remove();
            }
        }
    }

    ObjectNode limitsBody() {
        final ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("DailyApiRequests", Json.object("Max", dailyRequests.limit(), "Remaining", dailyRequests.remaining()));
        body.set("DailyBulkApiBatches", Json.object("Max", dailyBulkBatches.limit(), "Remaining", dailyBulkBatches.remaining()));
        body.set("DailyBulkV2QueryJobs", Json.object("Max", 10_000, "Remaining", 10_000));
        body.set("DailyBulkV2QueryFileStorageMB", Json.object("Max", 1_024_000, "Remaining", 1_024_000));
        return body;
    }
}
