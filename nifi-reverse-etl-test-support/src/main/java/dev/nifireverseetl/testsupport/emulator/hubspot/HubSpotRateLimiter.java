package dev.nifireverseetl.testsupport.emulator.hubspot;

import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.Json;
import dev.nifireverseetl.testsupport.emulator.QuotaCounter;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;
import dev.nifireverseetl.testsupport.emulator.RollingWindowCounter;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HubSpot's limits per token (destinations.md §1.4): a rolling burst window (N requests per 10 s) and a daily quota.
 * Refusals are 429 with HubSpot's body ({@code errorType RATE_LIMIT}, {@code policyName TEN_SECONDLY_ROLLING} or
 * {@code DAILY}); admitted responses carry the X-HubSpot-RateLimit-* headers. Search requests carry no headers.
 */
public final class HubSpotRateLimiter implements RateLimiter {

    private static final long TEN_SECONDS = 10_000;

    private final int perWindow;
    private final long windowMillis;
    private final long daily;
    private final Map<String, RollingWindowCounter> windows = new ConcurrentHashMap<>();
    private final Map<String, QuotaCounter> dailyCounters = new ConcurrentHashMap<>();

    /**
     * @param perTenSeconds burst limit per token
     * @param daily         daily limit per token (the emulator's stand-in for the account)
     */
    public HubSpotRateLimiter(final int perTenSeconds, final long daily) {
        this(perTenSeconds, TEN_SECONDS, daily);
    }

    /**
     * A burst window of another length than HubSpot's 10 s (tests that need several windows in a few seconds; the
     * interval header reports it).
     *
     * @param perWindow    burst limit per token
     * @param windowMillis the rolling window
     * @param daily        daily limit per token
     */
    public HubSpotRateLimiter(final int perWindow, final long windowMillis, final long daily) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("The window must be positive");
        }
        this.perWindow = perWindow;
        this.windowMillis = windowMillis;
        this.daily = daily;
    }

    @Override
    public EmulatorResponse admit(final EmulatorRequest request, final long nowMillis) {
        final String token = request.bearerToken();
        if (token == null) {
            return null;
        }
        final QuotaCounter dailyCounter = dailyCounter(token);
        if (dailyCounter.remaining() == 0) {
            return refusal("You have reached your daily limit.", "DAILY");
        }
        if (!window(token).tryAcquire(nowMillis)) {
            return refusal("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING").withHeaders(headers(token, nowMillis));
        }
        dailyCounter.tryAcquire();
        return null;
    }

    private static EmulatorResponse refusal(final String message, final String policy) {
        return EmulatorResponse.json(429, Json.object("status", "error", "message", message, "errorType", "RATE_LIMIT",
                "correlationId", UUID.randomUUID().toString(), "policyName", policy, "requestId", UUID.randomUUID().toString()));
    }

    @Override
    public EmulatorResponse decorate(final EmulatorRequest request, final EmulatorResponse response, final long nowMillis) {
        final String token = request.bearerToken();
        if (token == null || request.path().endsWith("/search") || response.status() == 401) {
            return response;
        }
        return response.withHeaders(headers(token, nowMillis));
    }

    private Map<String, String> headers(final String token, final long nowMillis) {
        final QuotaCounter dailyCounter = dailyCounter(token);
        return Map.of(
                "X-HubSpot-RateLimit-Max", String.valueOf(perWindow),
                "X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, window(token).remaining(nowMillis))),
                "X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(windowMillis),
                "X-HubSpot-RateLimit-Daily", String.valueOf(daily),
                "X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(dailyCounter.remaining()));
    }

    private RollingWindowCounter window(final String token) {
        return windows.computeIfAbsent(token, ignored -> new RollingWindowCounter(perWindow, windowMillis));
    }

    /**
     * @return the daily counter of a token (tests lower its limit to exhaust it)
     */
    public QuotaCounter dailyCounter(final String token) {
        return dailyCounters.computeIfAbsent(token, ignored -> new QuotaCounter(daily));
    }
}
