package dev.nifireverseetl.testsupport.emulator;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmulatorServerTest {

    private final Map<String, String> store = new ConcurrentHashMap<>();
    private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofMillis(800)).retryOnConnectionFailure(false).build();
    private EmulatorServer server;

    @BeforeEach
    void start() {
        server = new EmulatorServer().route("PUT", "/items/{id}", request -> {
            store.put(request.pathVariable("id"), request.bodyText());
            return EmulatorResponse.json(200, Json.object("id", request.pathVariable("id")));
        }).recording(true).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Response put(final String id) throws IOException {
        return client.newCall(new Request.Builder().url(server.baseUrl() + "/items/" + id).header("Authorization", "Bearer secret-token")
                .put(RequestBody.create("v", MediaType.get("text/plain"))).build()).execute();
    }

    @Test
    void routesWithPathVariablesAndRecordsWithoutSecrets() throws IOException {
        try (Response response = put("a%20b")) {
            assertEquals(200, response.code());
            assertEquals("{\"id\":\"a b\"}", response.body().string());
        }
        assertEquals("v", store.get("a b"));
        try (Response response = client.newCall(new Request.Builder().url(server.baseUrl() + "/nothing").build()).execute()) {
            assertEquals(404, response.code());
        }
        assertEquals(1, server.metrics().route("PUT /items/{id}"));
        assertEquals("Bearer redacted", server.recordedExchanges().get(0).headers().get("Authorization"));
    }

    @Test
    void rateLimiterRefusesInItsOwnFormatAndDecoratesAdmittedResponses() throws IOException {
        final RollingWindowCounter window = new RollingWindowCounter(2, 10_000);
        server.rateLimiter(new RateLimiter() {
            @Override
            public EmulatorResponse admit(final EmulatorRequest request, final long nowMillis) {
                return window.tryAcquire(nowMillis) ? null : EmulatorResponse.json(429, Json.object("policyName", "TEN_SECONDLY_ROLLING"))
                        .withHeader("Retry-After", String.valueOf(window.millisUntilAvailable(nowMillis) / 1000 + 1));
            }

            @Override
            public EmulatorResponse decorate(final EmulatorRequest request, final EmulatorResponse response, final long nowMillis) {
                return response.withHeader("X-Remaining", String.valueOf(window.remaining(nowMillis)));
            }
        });
        try (Response first = put("1"); Response second = put("2"); Response third = put("3")) {
            assertEquals("1", first.header("X-Remaining"));
            assertEquals("0", second.header("X-Remaining"));
            assertEquals(429, third.code());
            assertTrue(Integer.parseInt(third.header("Retry-After")) >= 1);
        }
        assertEquals(2, store.size(), "a refused request is not processed");
        assertEquals(1, server.metrics().status(429));
    }

    @Test
    void faultsBeforeProcessingLeaveStateUnchanged() throws IOException {
        server.faults().next(Fault.INTERNAL_SERVER_ERROR, Fault.MALFORMED_BODY, Fault.CONNECTION_RESET, Fault.TIMEOUT);
        try (Response response = put("1")) {
            assertEquals(500, response.code());
        }
        try (Response response = put("2")) {
            assertEquals(200, response.code());
            assertTrue(response.body().string().startsWith("{\"results\":[{\"id\":"));
        }
        assertThrows(IOException.class, () -> put("3").close());
        assertThrows(InterruptedIOException.class, () -> put("4").close());
        assertTrue(store.isEmpty());
        assertEquals(1, server.metrics().faults(Fault.TIMEOUT));
    }

    @Test
    void faultsAfterProcessingChangeStateAndLoseTheResponse() throws IOException {
        server.faults().next(Fault.RESET_AFTER_PROCESSING, Fault.TRUNCATED_AFTER_PROCESSING);
        assertThrows(IOException.class, () -> put("1").close());
        try (Response response = put("2")) {
            assertEquals(200, response.code());
            assertEquals("{\"id\"", response.body().string(), "the body is cut in half");
        }
        assertEquals(2, store.size(), "the destination processed both requests");
    }

    @Test
    void latencyDelaysEveryResponse() throws IOException {
        server.latency(150, 0);
        final long started = System.nanoTime();
        try (Response response = put("1")) {
            assertEquals(200, response.code());
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 150);
    }

    @Test
    void measuresTheBusiestWindow() {
        final EmulatorMetrics metrics = new EmulatorMetrics();
        for (final long time : new long[]{0, 100, 200, 1_000, 1_050, 1_099, 5_000}) {
            metrics.record("r", time, 200, null);
        }
        assertEquals(3, metrics.maxRequestsInAnyWindow(100));
        assertEquals(6, metrics.maxRequestsInAnyWindow(1_100));
    }

    @Test
    void rollingWindowRefillsAsTimePasses() {
        final RollingWindowCounter window = new RollingWindowCounter(2, 1_000);
        assertTrue(window.tryAcquire(0));
        assertTrue(window.tryAcquire(500));
        assertEquals(false, window.tryAcquire(999));
        assertEquals(1, window.millisUntilAvailable(999));
        assertTrue(window.tryAcquire(1_000));
        final QuotaCounter quota = new QuotaCounter(1);
        assertTrue(quota.tryAcquire());
        assertEquals(false, quota.tryAcquire());
    }
}
