package dev.nifireverseetl.processors.engine.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The request budget of one destination account, shared by every processor of that account in the JVM (see
 * {@link RateBudgetRegistry}). Thread-safe.
 * <p>
 * The short-window limit is a token bucket whose tokens come back exactly one window after they were spent, which is
 * what a destination's rolling window counts: at most {@code limit} requests are started in any window. A token is
 * stamped when its request starts and re-stamped when its response arrives (the destination counted the request in
 * between), and the window is lengthened by a small safety margin, so arrival-time jitter never pushes one over.
 * The bucket starts from the configured plan limit and follows the destination's limit headers: a smaller
 * {@code Max} replaces the limit, and a {@code Remaining} lower than ours (another client on the same account, such as
 * a second NiFi node) is charged to the bucket. A refusal (429) pauses the budget until the reset the destination
 * named. The daily limit is tracked from the configured value and the daily headers; when it is spent the budget
 * reports {@link #dailyExhaustedUntil()} and never sends a request that would be refused.
 */
public final class RateBudget {

    /** Added to the window, so requests started exactly one window apart never meet in one window at the destination. */
    static final long WINDOW_SAFETY_MILLIS = 100;

    private final LongSupplier clock;
    private final ZoneId dailyResetZone;
    private final Deque<Long> started = new ArrayDeque<>();
    private final Deque<Long> inFlightStarts = new ArrayDeque<>();
    private int configuredLimit;
    private long windowMillis;
    private long configuredDailyLimit;
    private int headerLimit = Integer.MAX_VALUE;
    private long pausedUntil;
    private long dailyExhaustedUntil;
    private long dailyUsed;
    private LocalDate dailyUsedOn;
    private int inFlight;

    public RateBudget(final RateLimitPolicy policy, final ZoneId dailyResetZone, final LongSupplier clock) {
        this.clock = clock;
        this.dailyResetZone = dailyResetZone == null ? ZoneOffset.UTC : dailyResetZone;
        apply(policy);
    }

    public RateBudget(final RateLimitPolicy policy) {
        this(policy, ZoneOffset.UTC, System::currentTimeMillis);
    }

    /**
     * Changes the configured limits (a processor of the same account was configured differently: the last wins).
     */
    public synchronized void apply(final RateLimitPolicy policy) {
        this.configuredLimit = policy.requestsPerWindow();
        this.windowMillis = policy.windowMillis();
        this.configuredDailyLimit = policy.dailyLimit();
    }

    /**
     * Waits for a token and takes it.
     *
     * @param maxWaitMillis the longest wait acceptable
     * @return true when a token was taken (the caller must then call {@link #release()} once the response arrived);
     * false when none becomes available within the wait, or the daily budget is spent
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean acquire(final long maxWaitMillis) throws InterruptedException {
        final long deadline = clock.getAsLong() + maxWaitMillis;
        synchronized (this) {
            while (true) {
                final long now = clock.getAsLong();
                if (isDailyExhausted(now)) {
                    return false;
                }
                final long waitMillis = millisUntilAvailable(now);
                if (waitMillis == 0) {
                    started.addLast(now);
                    inFlightStarts.addLast(now);
                    countDaily(now);
                    inFlight++;
                    return true;
                }
                if (now + waitMillis > deadline) {
                    return false;
                }
                wait(Math.max(1, waitMillis));
            }
        }
    }

    /**
     * Marks the end of a request started with a token (its response, or its failure, arrived).
     */
    public synchronized void release() {
        inFlight = Math.max(0, inFlight - 1);
        final Long start = inFlightStarts.pollFirst();
        if (start != null && started.removeFirstOccurrence(start)) {
            // the destination counted the request somewhere between its start and now: its token comes back one window
            // after the later of the two, so arrival-time differences can never put two windows' worth into one
            started.addLast(clock.getAsLong());
        }
        notifyAll();
    }

    /**
     * @return milliseconds until a token is available (0: now); {@link Long#MAX_VALUE} while the daily budget is spent
     */
    public synchronized long millisUntilAvailable(final long now) {
        if (isDailyExhausted(now)) {
            return Long.MAX_VALUE;
        }
        final long effectiveWindow = windowMillis + WINDOW_SAFETY_MILLIS;
        while (!started.isEmpty() && started.peekFirst() <= now - effectiveWindow) {
            started.removeFirst();
        }
        long wait = Math.max(0, pausedUntil - now);
        final int limit = effectiveLimit();
        if (started.size() >= limit) {
            final long[] times = started.stream().mapToLong(Long::longValue).toArray();
            final long oldestThatMustExpire = times[started.size() - limit];
            wait = Math.max(wait, oldestThatMustExpire + effectiveWindow - now);
        }
        return wait;
    }

    /**
     * Follows what a response said about the limits.
     */
    public synchronized void observe(final RateLimitFeedback feedback) {
        if (feedback == null || feedback.isEmpty()) {
            return;
        }
        final long now = clock.getAsLong();
        if (feedback.windowLimit() > 0) {
            headerLimit = (int) Math.min(Integer.MAX_VALUE, feedback.windowLimit());
        }
        if (feedback.windowMillis() > 0) {
            windowMillis = feedback.windowMillis();
        }
        if (feedback.windowRemaining() >= 0) {
            millisUntilAvailable(now);
            final long ourRemaining = effectiveLimit() - started.size();
            // requests started but not yet counted by the destination when it answered are not a discrepancy
            final long unexplained = ourRemaining - feedback.windowRemaining() - inFlight;
            for (long i = 0; i < unexplained; i++) {
                started.addLast(now);
            }
        }
        if (feedback.dailyRemaining() == 0) {
            dailyExhaustedUntil = nextDailyReset(now);
        } else if (feedback.dailyRemaining() > 0) {
            final long limit = feedback.dailyLimit() > 0 ? feedback.dailyLimit() : configuredDailyLimit;
            if (limit > 0) {
                dailyUsed = Math.max(dailyUsed, limit - feedback.dailyRemaining());
                dailyUsedOn = today(now);
            }
        }
    }

    /**
     * The destination refused a request for the short-window limit: no token is handed out before {@code untilMillis}
     * (or one window from now when the destination did not say).
     */
    public synchronized void pauseUntil(final long untilMillis) {
        final long now = clock.getAsLong();
        final long until = untilMillis > now ? untilMillis : now + Math.min(windowMillis, 10_000);
        pausedUntil = Math.max(pausedUntil, until);
        notifyAll();
    }

    /**
     * The destination said the daily budget is spent.
     *
     * @param untilMillis when it resets, or 0 for the next midnight in the daily-reset time zone
     */
    public synchronized void markDailyExhausted(final long untilMillis) {
        final long now = clock.getAsLong();
        dailyExhaustedUntil = untilMillis > now ? untilMillis : nextDailyReset(now);
        notifyAll();
    }

    /**
     * @return the epoch millis when the daily budget resets while it is spent, else 0
     */
    public synchronized long dailyExhaustedUntil() {
        return isDailyExhausted(clock.getAsLong()) ? dailyExhaustedUntil : 0;
    }

    /**
     * @return the epoch millis until which the budget is paused after a refusal, else 0
     */
    public synchronized long pausedUntil() {
        return pausedUntil > clock.getAsLong() ? pausedUntil : 0;
    }

    /**
     * @return the current short-window limit (the smaller of the configured plan limit and the destination's header)
     */
    public synchronized int effectiveLimit() {
        return Math.max(1, Math.min(configuredLimit, headerLimit));
    }

    public synchronized long windowMillis() {
        return windowMillis;
    }

    private boolean isDailyExhausted(final long now) {
        if (dailyExhaustedUntil > now) {
            return true;
        }
        if (configuredDailyLimit > 0) {
            resetDailyIfNewDay(now);
            if (dailyUsed >= configuredDailyLimit) {
                dailyExhaustedUntil = nextDailyReset(now);
                return true;
            }
        }
        return false;
    }

    private void countDaily(final long now) {
        resetDailyIfNewDay(now);
        dailyUsed++;
    }

    private void resetDailyIfNewDay(final long now) {
        final LocalDate today = today(now);
        if (!today.equals(dailyUsedOn)) {
            dailyUsedOn = today;
            dailyUsed = 0;
        }
    }

    private LocalDate today(final long now) {
        return Instant.ofEpochMilli(now).atZone(dailyResetZone).toLocalDate();
    }

    private long nextDailyReset(final long now) {
        return today(now).plusDays(1).atStartOfDay(dailyResetZone).toInstant().toEpochMilli();
    }
}
