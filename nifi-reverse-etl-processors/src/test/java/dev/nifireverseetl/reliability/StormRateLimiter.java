package dev.nifireverseetl.reliability;

import dev.nifireverseetl.testsupport.emulator.EmulatorRequest;
import dev.nifireverseetl.testsupport.emulator.EmulatorResponse;
import dev.nifireverseetl.testsupport.emulator.RateLimiter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a destination emulator's own rate limiter; during a storm (as when other writers on the same account spend
 * the limit) every request is refused by an exhausted limiter of the same destination, so refusals carry that
 * destination's status, headers and body.
 */
final class StormRateLimiter implements RateLimiter {

    private final RateLimiter normal;
    private final RateLimiter exhausted;
    private volatile long stormUntil;
    private volatile long armedStormMillis;
    private final AtomicLong refusals = new AtomicLong();

    StormRateLimiter(final RateLimiter normal, final RateLimiter exhausted) {
        this.normal = normal;
        this.exhausted = exhausted;
    }

    /**
     * Refuses every request for this long, starting with the next request (so the storm's length does not depend on
     * how long the sync takes before its first request).
     */
    void storm(final long millis) {
        armedStormMillis = millis;
    }

    long refusals() {
        return refusals.get();
    }

    @Override
    public EmulatorResponse admit(final EmulatorRequest request, final long nowMillis) {
        synchronized (this) {
            if (armedStormMillis > 0) {
                stormUntil = System.currentTimeMillis() + armedStormMillis;
                armedStormMillis = 0;
            }
        }
        if (System.currentTimeMillis() < stormUntil) {
            for (int attempt = 0; attempt < 3; attempt++) {
                final EmulatorResponse refusal = exhausted.admit(request, nowMillis);
                if (refusal != null) {
                    refusals.incrementAndGet();
                    return refusal;
                }
            }
        }
        return normal.admit(request, nowMillis);
    }

    @Override
    public EmulatorResponse decorate(final EmulatorRequest request, final EmulatorResponse response, final long nowMillis) {
        return normal.decorate(request, response, nowMillis);
    }
}
