package dev.nifireverseetl.processors.engine.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The request budget of one destination account, shared by every processor of that account on this node (see
 * {@link RateBudgetRegistry}). Thread-safe.
 * <p>
 * The short-window limit is a token bucket whose tokens come back one window after the response of the request that
 * spent them, which is what a destination's rolling window counts: at most {@code limit} requests counted in any window.
 * The destination counts a request somewhere between its start and its response, so a request in flight holds its
 * token for as long as it is in flight (however long that is: a slow connection or a slow first response must not let
 * another request through), and its token comes back one window plus a small safety margin after its response.
 * The bucket starts from the configured plan limit and follows the destination's limit headers: a smaller {@code Max}
 * replaces the limit, and a {@code Remaining} lower than the room this bucket still has (another client on the same
 * account, such as a second NiFi node taking more than its share) is charged to the bucket. On a NiFi cluster each
 * node's bucket holds its share of the account limit ({@link #shareAmong(int)}). A refusal (429) pauses the budget
 * until the reset the destination named. The daily limit is tracked from the configured value and the daily headers
 * (account-wide counts); when it is spent the budget reports {@link #dailyExhaustedUntil()} and never sends a request
 * that would be refused.
 */
public final class RateBudget {

    /** Added to the window, so requests started exactly one window apart never meet in one window at the destination. */
    static final long WINDOW_SAFETY_MILLIS = 100;

    private final LongSupplier clock;
    private final ZoneId dailyResetZone;
    /** When the tokens of finished requests (and of requests charged from headers) were last counted: response times. */
    private final Deque<Long> finished = new ArrayDeque<>();
    private int configuredLimit;
    private long windowMillis;
    private long configuredDailyLimit;
    private int headerLimit = Integer.MAX_VALUE;
    private long pausedUntil;
    private long dailyExhaustedUntil;
    private long dailyUsed;
    private LocalDate dailyUsedOn;
    private int inFlight;
    private int nodes = 1;

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
                    countDaily(now);
                    inFlight++;
                    return true;
                }
                // while requests in flight hold every token, one may come back any moment: wait up to the deadline
                if (now >= deadline || now + waitMillis > deadline && !onlyRequestsInFlightHoldTokens(now)) {
                    return false;
                }
                wait(Math.max(1, Math.min(waitMillis, deadline - now)));
            }
        }
    }

    /**
     * Marks the end of a request started with a token (its response, or its failure, arrived). The destination counted
     * the request somewhere between its start and now, so its token comes back one window after now.
     */
    public synchronized void release() {
        if (inFlight > 0) {
            inFlight--;
            finished.addLast(clock.getAsLong());
        }
        notifyAll();
    }

    /**
     * @return milliseconds until a token is available (0: now; the window length while every token is held by a
     * request in flight, as a release wakes waiters anyway); {@link Long#MAX_VALUE} while the daily budget is spent
     */
    public synchronized long millisUntilAvailable(final long now) {
        if (isDailyExhausted(now)) {
            return Long.MAX_VALUE;
        }
        final long effectiveWindow = windowMillis + WINDOW_SAFETY_MILLIS;
        evictFinished(now);
        long wait = Math.max(0, pausedUntil - now);
        final int limit = effectiveLimit();
        final int used = inFlight + finished.size();
        if (used >= limit) {
            // tokens to free: used - limit + 1, taken from the oldest finished requests; requests in flight free none
            final int oldestThatMustExpire = used - limit;
            if (oldestThatMustExpire < finished.size()) {
                final long[] times = finished.stream().mapToLong(Long::longValue).toArray();
                wait = Math.max(wait, times[oldestThatMustExpire] + effectiveWindow - now);
            } else {
                wait = Math.max(wait, effectiveWindow);
            }
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
            evictFinished(now);
            // every request of ours the destination counted is in flight or finished within our (longer) window, so the
            // room we think we have minus the room the destination reports is spent by others beyond our share: charge
            // it. (The request that carried the feedback is still in flight here; it is ours, never a discrepancy.)
            final long ourRemaining = (long) effectiveLimit() - inFlight - finished.size();
            final long unexplained = ourRemaining - feedback.windowRemaining();
            for (long i = 0; i < unexplained; i++) {
                finished.addLast(now);
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
     * Takes this node's share of the account's short-window limit: the limit divided by the number of nodes sending
     * to the account (1: the whole limit). The daily limit stays account-wide: the destination's daily headers count
     * every node's requests.
     *
     * @param nodeCount the number of connected nodes sharing the account (values below 1 count as 1)
     */
    public synchronized void shareAmong(final int nodeCount) {
        final int share = Math.max(1, nodeCount);
        if (share != nodes) {
            nodes = share;
            notifyAll();
        }
    }

    /**
     * @return the number of nodes the short-window limit is shared among
     */
    public synchronized int nodesSharing() {
        return nodes;
    }

    /**
     * @return this node's short-window limit: the smaller of the configured plan limit and the destination's header,
     * divided by the number of nodes sharing it (at least 1)
     */
    public synchronized int effectiveLimit() {
        return Math.max(1, Math.min(configuredLimit, headerLimit) / nodes);
    }

    /**
     * @return the account's short-window limit (the smaller of the configured plan limit and the destination's header)
     */
    public synchronized int accountLimit() {
        return Math.max(1, Math.min(configuredLimit, headerLimit));
    }

    private boolean onlyRequestsInFlightHoldTokens(final long now) {
        return pausedUntil <= now && inFlight >= effectiveLimit();
    }

    private void evictFinished(final long now) {
        final long effectiveWindow = windowMillis + WINDOW_SAFETY_MILLIS;
        while (!finished.isEmpty() && finished.peekFirst() <= now - effectiveWindow) {
            finished.removeFirst();
        }
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
