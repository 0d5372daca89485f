package dev.nifireverseetl.processors.engine.ratelimit;

/**
 * What a response said about the account's limits (from headers such as {@code X-HubSpot-RateLimit-*},
 * {@code Sforce-Limit-Info}, {@code X-Rate-Limit}). Every value is optional: -1 means the response did not say.
 *
 * @param windowLimit     requests allowed per window
 * @param windowRemaining requests left in the current window
 * @param windowMillis    the window length
 * @param dailyLimit      requests allowed per day (or per rolling 24 h allocation)
 * @param dailyRemaining  requests left today
 */
public record RateLimitFeedback(long windowLimit, long windowRemaining, long windowMillis, long dailyLimit, long dailyRemaining) {

    public static final RateLimitFeedback NONE = new RateLimitFeedback(-1, -1, -1, -1, -1);

    public boolean isEmpty() {
        return windowLimit < 0 && windowRemaining < 0 && windowMillis < 0 && dailyLimit < 0 && dailyRemaining < 0;
    }
}
