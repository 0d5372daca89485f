package dev.nifireverseetl.processors.hubspot;

import dev.nifireverseetl.processors.engine.BatchResult;
import dev.nifireverseetl.processors.engine.FailureKind;
import dev.nifireverseetl.processors.engine.ItemOutcome;
import dev.nifireverseetl.processors.engine.WriteBatch;
import dev.nifireverseetl.processors.engine.WriteItem;
import dev.nifireverseetl.processors.engine.WriteOperation;
import dev.nifireverseetl.processors.engine.http.HttpResponseData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Response handling as destinations.md §1.3-1.4 documents it.
 */
class HubSpotAdapterTest {

    private final HubSpotAdapter adapter = new HubSpotAdapter("/crm/v3/objects", "contacts", "email");
    private final WriteBatch batch = new WriteBatch(WriteOperation.UPSERT, List.of(
            new WriteItem("r0", "ann@example.com", null, WriteOperation.UPSERT, Map.of("firstname", "Ann")),
            new WriteItem("r1", "bob@example.com", null, WriteOperation.UPSERT, Map.of("firstname", "Bob")),
            new WriteItem("r2", "cy@example.com", null, WriteOperation.UPSERT, Map.of("firstname", "Cy"))));

    private static HttpResponseData response(final int status, final String body) {
        return new HttpResponseData(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), 1_000);
    }

    private FailureKind kind(final int status, final String body) {
        return assertInstanceOf(BatchResult.Failed.class, adapter.parseResponse(batch, response(status, body))).failure().kind();
    }

    @Test
    void matchesResultsByTraceIdAndUniqueValueNeverByPosition() {
        final BatchResult result = adapter.parseResponse(batch, response(207, """
                {"status":"COMPLETE","results":[
                  {"id":"3","new":false,"properties":{"email":"cy@example.com"}},
                  {"id":"1","new":true,"objectWriteTraceId":"r0","properties":{}}],
                 "numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"bad option",
                   "context":{"objectWriteTraceId":["r1"]},"errors":[{"message":"bad option","code":"INVALID_OPTION"}]}]}"""));
        final Map<String, ItemOutcome> outcomes = assertInstanceOf(BatchResult.Completed.class, result).outcomes();
        assertEquals("1", outcomes.get("r0").destinationId());
        assertEquals(Boolean.TRUE, outcomes.get("r0").created());
        assertEquals("3", outcomes.get("r2").destinationId());
        assertEquals(Boolean.FALSE, outcomes.get("r2").created());
        assertEquals(ItemOutcome.Status.FAILED, outcomes.get("r1").status());
        assertEquals("INVALID_OPTION", outcomes.get("r1").errorCode());
    }

    @Test
    void classifiesErrorsAsHubSpotDocumentsThem() {
        assertEquals(FailureKind.QUOTA_EXHAUSTED, kind(429, "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}"));
        assertEquals(FailureKind.RATE_LIMITED, kind(429, "{\"status\":\"error\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}"));
        assertEquals(FailureKind.INVALID_BATCH, kind(400, "{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values were not valid\"}"));
        assertEquals(FailureKind.INVALID_BATCH, kind(409, "{\"status\":\"error\",\"category\":\"CONFLICT\",\"message\":\"Contact already exists. Existing ID: 1\"}"));
        assertEquals(FailureKind.UNAUTHORIZED, kind(401, "{\"status\":\"error\",\"category\":\"INVALID_AUTHENTICATION\"}"));
        assertEquals(FailureKind.REJECTED, kind(403, "{\"status\":\"error\",\"category\":\"MISSING_SCOPES\"}"));
        assertEquals(FailureKind.TRANSIENT, kind(502, "<html>Bad Gateway</html>"));
    }

    @Test
    void aRateLimitRefusalWaitsForRetryAfterWhenGiven() {
        final HttpResponseData refusal = new HttpResponseData(429, Map.of("Retry-After", List.of("3")),
                "{\"policyName\":\"TEN_SECONDLY_ROLLING\"}".getBytes(StandardCharsets.UTF_8), 1_000);
        assertEquals(4_000, assertInstanceOf(BatchResult.Failed.class, adapter.parseResponse(batch, refusal)).failure().retryAtMillis());
    }
}
