package dev.nifireverseetl.testsupport.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an emulator answered: counts per status and per route, and the arrival time of every request, so tests can
 * check the rate a client achieved in any window. Thread-safe.
 */
public final class EmulatorMetrics {

    private final AtomicLong requests = new AtomicLong();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byRoute = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicLong> byFault = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> arrivals = new ConcurrentLinkedQueue<>();

    void record(final String route, final long arrivalMillis, final int status, final Fault fault) {
        requests.incrementAndGet();
        byStatus.computeIfAbsent(status, ignored -> new AtomicLong()).incrementAndGet();
        byRoute.computeIfAbsent(route, ignored -> new AtomicLong()).incrementAndGet();
        if (fault != null) {
            byFault.computeIfAbsent(fault, ignored -> new AtomicLong()).incrementAndGet();
        }
        arrivals.add(new long[]{arrivalMillis, status});
    }

    public long requests() {
        return requests.get();
    }

    public long status(final int status) {
        final AtomicLong count = byStatus.get(status);
        return count == null ? 0 : count.get();
    }

    /**
     * @return requests per route, keyed "METHOD /route/pattern"
     */
    public long route(final String methodAndPattern) {
        final AtomicLong count = byRoute.get(methodAndPattern);
        return count == null ? 0 : count.get();
    }

    public long faults(final Fault fault) {
        final AtomicLong count = byFault.get(fault);
        return count == null ? 0 : count.get();
    }

    /**
     * @return the largest number of requests that arrived within any window of the given length (all statuses)
     */
    public int maxRequestsInAnyWindow(final long windowMillis) {
        final List<Long> times = new ArrayList<>();
        for (final long[] arrival : arrivals) {
            times.add(arrival[0]);
        }
        times.sort(Long::compare);
        int max = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= windowMillis) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    /**
     * @return the arrival times of every request (all statuses), in ascending order
     */
    public List<Long> arrivalTimes() {
        final List<Long> times = new ArrayList<>();
        for (final long[] arrival : arrivals) {
            times.add(arrival[0]);
        }
        times.sort(Long::compare);
        return times;
    }

    public void reset() {
        requests.set(0);
        byStatus.clear();
        byRoute.clear();
        byFault.clear();
        arrivals.clear();
    }
}
