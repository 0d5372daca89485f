package dev.nifireverseetl.testsupport.emulator;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A rolling-window request limit: at most {@code limit} admissions in any window of {@code windowMillis}. Thread-safe.
 * Used by emulators to refuse requests exactly as a destination with a rolling limit would.
 */
public final class RollingWindowCounter {

    private final int limit;
    private final long windowMillis;
    private final Deque<Long> admitted = new ArrayDeque<>();

    public RollingWindowCounter(final int limit, final long windowMillis) {
        if (limit <= 0 || windowMillis <= 0) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.windowMillis = windowMillis;
    }

    /**
     * @return true and counts the request when the window has room; false (and counts nothing) otherwise
     */
    public synchronized boolean tryAcquire(final long nowMillis) {
        evict(nowMillis);
        if (admitted.size() >= limit) {
            return false;
        }
        admitted.addLast(nowMillis);
        return true;
    }

    /**
     * @return how many more requests the current window admits
     */
    public synchronized int remaining(final long nowMillis) {
        evict(nowMillis);
        return limit - admitted.size();
    }

    /**
     * @return milliseconds until the window admits one more request (0 when it has room now)
     */
    public synchronized long millisUntilAvailable(final long nowMillis) {
        evict(nowMillis);
        if (admitted.size() < limit) {
            return 0;
        }
        final long oldest = admitted.stream().mapToLong(Long::longValue).min().orElse(nowMillis);
        return Math.max(1, oldest + windowMillis - nowMillis);
    }

    public int limit() {
        return limit;
    }

    public long windowMillis() {
        return windowMillis;
    }

    private void evict(final long nowMillis) {
        // concurrent requests can be admitted in another order than they arrived: evict every expired one, not only a prefix
        admitted.removeIf(admittedAt -> admittedAt <= nowMillis - windowMillis);
    }
}
