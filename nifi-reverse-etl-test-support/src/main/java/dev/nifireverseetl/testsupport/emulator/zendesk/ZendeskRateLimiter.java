package dev.nifireverseetl.testsupport.emulator.zendesk;

import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;
import dev.nifireverseetl.testsupport.emulator.RollingWindowCounter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zendesk's account-wide per-minute limit (reference §3.5): every response carries {@code X-Rate-Limit} and
 * {@code X-Rate-Limit-Remaining}; ticketing endpoints (users, organizations) also carry {@code ratelimit-limit},
 * {@code ratelimit-remaining} and {@code ratelimit-reset} (seconds). Over the limit: 429 with {@code Retry-After} in
 * seconds. The 429 body's exact text is not documented [K]; a Zendesk-style error object is used.
 */
final class ZendeskRateLimiter implements RateLimiter {

    private static final long MINUTE = 60_000L;

    private final RollingWindowCounter window;

    ZendeskRateLimiter(final int requestsPerMinute) {
        this.window = new RollingWindowCounter(requestsPerMinute, MINUTE);
    }

    int limit() {
        return window.limit();
    }

    @Override
    public EmulatorResponse admit(final EmulatorRequest request, final long nowMillis) {
        if (window.tryAcquire(nowMillis)) {
            return null;
        }
        final long waitSeconds = Math.max(1, (window.millisUntilAvailable(nowMillis) + 999) / 1000);
        return EmulatorResponse.json(429, Json.object("error", "APIRateLimitExceeded", "description", "Number of allowed API requests per minute exceeded"))
                .withHeader("Retry-After", String.valueOf(waitSeconds))
                .withHeaders(headers(request, nowMillis));
    }

    @Override
    public EmulatorResponse decorate(final EmulatorRequest request, final EmulatorResponse response, final long nowMillis) {
        return response.withHeaders(headers(request, nowMillis));
    }

    private Map<String, String> headers(final EmulatorRequest request, final long nowMillis) {
        final Map<String, String> headers = new LinkedHashMap<>();
        final String remaining = String.valueOf(window.remaining(nowMillis));
        headers.put("X-Rate-Limit", String.valueOf(window.limit()));
        headers.put("X-Rate-Limit-Remaining", remaining);
        if (request.path().startsWith("/api/v2/users") || request.path().startsWith("/api/v2/organizations")) {
            final long resetMillis = window.remaining(nowMillis) > 0 ? MINUTE - nowMillis % MINUTE : window.millisUntilAvailable(nowMillis);
            headers.put("ratelimit-limit", String.valueOf(window.limit()));
            headers.put("ratelimit-remaining", remaining);
            headers.put("ratelimit-reset", String.valueOf(Math.max(1, (resetMillis + 999) / 1000)));
        }
        return headers;
    }
}
