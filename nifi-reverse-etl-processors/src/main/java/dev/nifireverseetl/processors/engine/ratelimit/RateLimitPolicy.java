package dev.nifireverseetl.processors.engine.ratelimit;

/**
 * The limits of a destination account as configured by the user (the plan's limits). The budget starts from these
 * and follows the limit headers the destination returns.
 *
 * @param requestsPerWindow requests allowed in any rolling window (HubSpot: 100/190/250 per 10 s; Zendesk: per minute)
 * @param windowMillis      the window length in milliseconds
 * @param dailyLimit        requests allowed per day, or 0 when the engine should not track a daily limit itself
 *                          (it still obeys the destination's daily-limit headers and refusals)
 */
public record RateLimitPolicy(int requestsPerWindow, long windowMillis, long dailyLimit) {

    public RateLimitPolicy {
        if (requestsPerWindow <= 0 || windowMillis <= 0 || dailyLimit < 0) {
            throw new IllegalArgumentException("A rate limit needs a positive request count and window, and a daily limit of at least 0");
        }
    }
}
