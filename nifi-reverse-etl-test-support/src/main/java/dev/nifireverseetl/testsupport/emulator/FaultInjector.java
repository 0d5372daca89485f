package dev.nifireverseetl.testsupport.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Chooses the fault, if any, for each request: first from a queue of scheduled faults, then at random with a given
 * probability (seeded, so runs are repeatable). Thread-safe.
 */
public final class FaultInjector {

    private final Deque<Fault> scheduled = new ArrayDeque<>();
    private Random random = new Random(1);
    private double probability;
    private List<Fault> randomKinds = List.of();
    private String pathFilter;

    /**
     * Schedules faults for the next requests, in order.
     */
    public synchronized FaultInjector next(final Fault... faults) {
        for (final Fault fault : faults) {
            scheduled.addLast(fault);
        }
        return this;
    }

    /**
     * Injects one of the given faults into each request with this probability.
     */
    public synchronized FaultInjector random(final double faultProbability, final long seed, final Fault... kinds) {
        this.probability = faultProbability;
        this.random = new Random(seed);
        this.randomKinds = List.of(kinds);
        return this;
    }

    /**
     * Limits injection to requests whose path contains this text (null: all requests).
     */
    public synchronized FaultInjector onlyForPathsContaining(final String text) {
        this.pathFilter = text;
        return this;
    }

    public synchronized void clear() {
        scheduled.clear();
        probability = 0;
        randomKinds = List.of();
        pathFilter = null;
    }

    synchronized Fault choose(final EmulatorRequest request) {
        if (pathFilter != null && !request.path().contains(pathFilter)) {
            return null;
        }
        if (!scheduled.isEmpty()) {
            return scheduled.removeFirst();
        }
        if (probability > 0 && !randomKinds.isEmpty() && random.nextDouble() < probability) {
            return randomKinds.get(random.nextInt(randomKinds.size()));
        }
        return null;
    }
}
