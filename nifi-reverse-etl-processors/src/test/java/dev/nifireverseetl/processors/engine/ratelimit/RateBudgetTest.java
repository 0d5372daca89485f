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
    void aRequestInFlightHoldsItsTokenHoweverLongItTakes() throws Exception {
        final RateBudget budget = budget(2, 0);
        assertTrue(budget.acquire(0));
        assertTrue(budget.acquire(0));
        // the destination may count a slow request at any moment before its response: its token is not back after a window
        clock.addAndGet(25_000);
        assertFalse(budget.acquire(0), "both requests are still in flight");
        budget.release();
        assertFalse(budget.acquire(0), "the finished request was counted somewhere before its response: its token comes back a window later");
        clock.addAndGet(10_000 + RateBudget.WINDOW_SAFETY_MILLIS);
        assertTrue(budget.acquire(0));
        assertFalse(budget.acquire(0), "the other request is still in flight");
    }

    @Test
    void aWaiterGetsTheTokenOfARequestInFlightWhenTheWindowHasPassed() throws Exception {
        final RateBudget budget = budget(1, 0);
        assertTrue(budget.acquire(0));
        clock.addAndGet(10_000 + RateBudget.WINDOW_SAFETY_MILLIS);
        final Thread releaser = new Thread(() -> {
            budget.release();
            clock.addAndGet(10_000 + RateBudget.WINDOW_SAFETY_MILLIS);
            synchronized (budget) {
                budget.notifyAll();
            }
        });
        releaser.start();
        assertTrue(budget.acquire(60_000), "the waiter wakes up when the request ends and its window has passed");
        releaser.join();
    }

    @Test
    void chargesAnotherClientsRequestEvenWhileOurRequestIsInFlight() throws Exception {
        final RateBudget budget = budget(10, 0);
        assertTrue(budget.acquire(0));
        // the response of our request says 8 remain: ours and one of another client (say, a second NiFi node) were counted
        budget.observe(new RateLimitFeedback(10, 8, 10_000, -1, -1));
        budget.release();
        for (int i = 0; i < 8; i++) {
            assertTrue(budget.acquire(0), "request " + i);
            budget.release();
        }
        assertFalse(budget.acquire(0), "the other client's request was charged: 1 + 1 + 8 = 10 in the window");
    }

    @Test
    void takesThisNodesShareOfTheAccountLimit() throws Exception {
        final RateBudget budget = budget(30, 0);
        budget.shareAmong(3);
        assertEquals(10, budget.effectiveLimit());
        assertEquals(30, budget.accountLimit());
        for (int i = 0; i < 10; i++) {
            assertTrue(budget.acquire(0));
            budget.release();
        }
        assertFalse(budget.acquire(0), "a third of the account limit");
        // the account-wide header says 20 remain: the other two nodes have their shares untouched, nothing to charge
        budget.observe(new RateLimitFeedback(30, 20, 10_000, -1, -1));
        clock.addAndGet(10_000 + RateBudget.WINDOW_SAFETY_MILLIS);
        assertTrue(budget.acquire(0));
        budget.release();
        // the others went beyond their shares: only 5 remain for the account, so this node has 5 left, not 9
        budget.observe(new RateLimitFeedback(30, 5, 10_000, -1, -1));
        for (int i = 0; i < 5; i++) {
            assertTrue(budget.acquire(0), "request " + i);
            budget.release();
        }
        assertFalse(budget.acquire(0));
        budget.shareAmong(1);
        assertEquals(30, budget.effectiveLimit(), "a node alone takes the whole limit");
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
