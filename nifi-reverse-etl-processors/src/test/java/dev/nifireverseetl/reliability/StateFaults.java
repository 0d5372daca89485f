package dev.nifireverseetl.reliability;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A crash armed for a later {@code recordAccepted} call of the sync state, as seen by the Put processor.
 */
final class StateFaults {

    /**
     * Where the crash happens.
     */
    enum Crash {
        /** The destination accepted the batch; the process dies before the state records anything of it. */
        BEFORE_RECORDING,
        /**
         * The process dies while the state is being committed: the embedded store loses power after half of the
         * acceptances were committed; the database connection is killed inside the commit (nothing of it is kept).
         */
        DURING_COMMIT
    }

    private final AtomicReference<Crash> armed = new AtomicReference<>();
    private final AtomicInteger callsToPass = new AtomicInteger();
    private final AtomicInteger crashes = new AtomicInteger();

    /**
     * Lets {@code passing} recordAccepted calls through, then crashes the next one (once).
     */
    void crashRecordAcceptedAfter(final int passing, final Crash crash) {
        callsToPass.set(passing);
        armed.set(crash);
    }

    /**
     * @return the crash to simulate in this call, or null (consumes the armed crash)
     */
    Crash onRecordAccepted() {
        if (armed.get() == null) {
            return null;
        }
        if (callsToPass.getAndDecrement() > 0) {
            return null;
        }
        final Crash crash = armed.getAndSet(null);
        if (crash != null) {
            crashes.incrementAndGet();
        }
        return crash;
    }

    int crashes() {
        return crashes.get();
    }
}
