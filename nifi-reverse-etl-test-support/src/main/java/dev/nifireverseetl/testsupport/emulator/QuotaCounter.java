package dev.nifireverseetl.testsupport.emulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A quota that does not refill during a test (a daily or 24-hour allocation). Thread-safe.
 */
public final class QuotaCounter {

    private final AtomicLong used = new AtomicLong();
    private volatile long limit;

    public QuotaCounter(final long limit) {
        this.limit = limit;
    }

    /**
     * @return true and counts the request when quota is left
     */
    public boolean tryAcquire() {
        while (true) {
            final long current = used.get();
            if (current >= limit) {
                return false;
            }
            if (used.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    public long remaining() {
        return Math.max(0, limit - used.get());
    }

    /**
     * Changes the quota, for example to exhaust it in the middle of a run.
     */
    public void setLimit(final long newLimit) {
        this.limit = newLimit;
    }

    public void reset() {
        used.set(0);
    }
}
