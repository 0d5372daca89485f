package dev.nifireverseetl.testsupport.emulator;

/**
 * Decides, before a request is handled, whether the destination's rate limits let it through. A destination emulator
 * answers a refusal in the destination's own format (status, headers such as Retry-After, body) and adds its limit
 * headers to admitted responses.
 */
public interface RateLimiter {

    /**
     * @return a refusal to send instead of handling the request, or null to let it through
     */
    EmulatorResponse admit(EmulatorRequest request, long nowMillis);

    /**
     * Adds the destination's rate-limit headers to a response of an admitted request.
     */
    default EmulatorResponse decorate(final EmulatorRequest request, final EmulatorResponse response, final long nowMillis) {
        return response;
    }

    RateLimiter NONE = (request, nowMillis) -> null;
}
