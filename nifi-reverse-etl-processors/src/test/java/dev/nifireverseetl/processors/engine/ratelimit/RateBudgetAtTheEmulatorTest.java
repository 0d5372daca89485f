package dev.nifireverseetl.processors.engine.ratelimit;

import dev.nifireverseetl.testsupport.emulator.hubspot.HubSpotEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget against a real HTTP round trip: the emulator counts a request when it arrives, somewhere between the
 * budget's start stamp and the response, with latency jitter and many requests in flight. At equal limits the
 * emulator must never refuse one.
 */
class RateBudgetAtTheEmulatorTest {

    private static final String TOKEN = "pat-na1-window-edges";
    private static final int LIMIT = 6;
    private static final long WINDOW_MILLIS = 1_000;
    private static final long RUN_MILLIS = 5_000;
    private static final String WARM_UP_TOKEN = "pat-na1-warm-up";

    private HubSpotEmulator hubspot;

    @BeforeEach
    void setUp() {
        hubspot = new HubSpotEmulator().token(TOKEN).token(WARM_UP_TOKEN).rateLimit(LIMIT, WINDOW_MILLIS, 1_000_000).start();
        hubspot.server().latency(5, 40);
    }

    @AfterEach
    void tearDown() {
        hubspot.close();
    }

    @Test
    void neverSendsARequestTheDestinationRefusesAtEqualLimits() throws Exception {
        final RateBudget budget = new RateBudget(new RateLimitPolicy(LIMIT, WINDOW_MILLIS, 0), ZoneOffset.UTC, System::currentTimeMillis);
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // the emulator's first request loads its classes (seconds): the utilization below is about the steady state
        client.send(propertyRequest(WARM_UP_TOKEN), HttpResponse.BodyHandlers.ofString());
        hubspot.server().metrics().reset();
        final AtomicInteger sent = new AtomicInteger();
        final long end = System.currentTimeMillis() + RUN_MILLIS;
        final ExecutorService threads = Executors.newFixedThreadPool(10);
        try {
            final List<Future<?>> senders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                senders.add(threads.submit(() -> {
                    while (System.currentTimeMillis() < end) {
                        if (!budget.acquire(end - System.currentTimeMillis())) {
                            return null;
                        }
                        try {
                            final HttpResponse<String> response = client.send(propertyRequest(TOKEN), HttpResponse.BodyHandlers.ofString());
                            budget.observe(feedback(response));
                            sent.incrementAndGet();
                        } finally {
                            budget.release();
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, hubspot.server().metrics().status(429), "refusals at equal limits");
        assertTrue(hubspot.server().metrics().maxRequestsInAnyWindow(WINDOW_MILLIS) <= LIMIT);
        final double windows = RUN_MILLIS / (double) WINDOW_MILLIS;
        assertTrue(sent.get() >= 0.8 * LIMIT * windows, "the budget used the limit: " + sent.get() + " requests in " + windows + " windows");
    }

    private HttpRequest propertyRequest(final String token) {
        return HttpRequest.newBuilder(URI.create(hubspot.baseUrl() + "/crm/v3/properties/contacts/email")).header("Authorization", "Bearer " + token).GET().build();
    }

    private static RateLimitFeedback feedback(final HttpResponse<String> response) {
        return new RateLimitFeedback(header(response, "X-HubSpot-RateLimit-Max"), header(response, "X-HubSpot-RateLimit-Remaining"),
                header(response, "X-HubSpot-RateLimit-Interval-Milliseconds"), -1, -1);
    }

    private static long header(final HttpResponse<String> response, final String name) {
        return response.headers().firstValue(name).map(Long::parseLong).orElse(-1L);
    }
}
