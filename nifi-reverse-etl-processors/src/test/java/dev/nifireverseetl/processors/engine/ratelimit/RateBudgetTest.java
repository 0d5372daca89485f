package dev.nifireverseetl.processors.engine.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateBudgetTest {

    private final AtomicLong clock = new AtomicLong(1_767_600_000_000L);

    private RateBudget budget(final int limit, final long daily) {
        return new RateBudget(new RateLimitPolicy(limit, 10_000, daily), ZoneOffset.UTC, clock::get);
    }

    @Test
    void handsOutAtMostTheLimitPerWindowAndTokensComeBackOneWindowLater() throws Exception {
        final RateBudget budget = budget(3, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(budget.acquire(0));
            budget.release();
        }
        assertFalse(budget.acquire(0), "a fourth request in the window would be refused");
        assertEquals(10_000 + RateBudget.WINDOW_SAFETY_MILLIS, budget.millisUntilAvailable(clock.get()));
        clock.addAndGet(10_000 + RateBudget.WINDOW_SAFETY_MILLIS);
        assertTrue(budget.acquire(0));
    }

    @Test
    void followsALowerLimitHeaderAndChargesRequestsOfOtherClients() throws Exception {
        final RateBudget budget = budget(100, 0);
        budget.observe(new RateLimitFeedback(10, -1, 10_000, -1, -1));
        assertEquals(10, budget.effectiveLimit());
        assertTrue(budget.acquire(0));
        budget.release();
        budget.observe(new RateLimitFeedback(10, 2, 10_000, -1, -1));
        assertTrue(budget.acquire(0));
        budget.release();
        assertTrue(budget.acquire(0));
        budget.release();
        assertFalse(budget.acquire(0), "the destination said only 2 were left (another client used the rest)");
    }

    @Test
    void pausesAfterARefusal() throws Exception {
        final RateBudget budget = budget(100, 0);
        budget.pauseUntil(clock.get() + 1_000);
        assertFalse(budget.acquire(500));
        clock.addAndGet(1_000);
        assertTrue(budget.acquire(0));
    }

    @Test
    void stopsAtTheDailyLimitUntilMidnightInTheAccountsZone() throws Exception {
        final RateBudget budget = budget(100, 2);
        assertTrue(budget.acquire(0));
        budget.release();
        assertTrue(budget.acquire(0));
        budget.release();
        assertFalse(budget.acquire(60_000));
        final long reset = budget.dailyExhaustedUntil();
        assertTrue(reset > clock.get());
        assertEquals(0, reset % 86_400_000L, "midnight UTC");
        clock.set(reset);
        assertEquals(0, budget.dailyExhaustedUntil());
        assertTrue(budget.acquire(0));
    }

    @Test
    void aZeroDailyRemainingHeaderStopsSending() throws Exception {
        final RateBudget budget = budget(100, 0);
        budget.observe(new RateLimitFeedback(100, 50, 10_000, 1000, 0));
        assertTrue(budget.dailyExhaustedUntil() > clock.get());
        assertFalse(budget.acquire(0));
    }
}
