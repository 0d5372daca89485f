package dev.nifireverseetl.processors.zendesk;

/**
 * When to poll a Zendesk job. Each poll is a request against the account's per-minute limit, so the first poll waits
 * about as long as recent jobs took (learnt from the jobs of this processor: the estimate shrinks by 3 % while first
 * polls find the job finished and grows to the observed time when they do not), and later polls back off
 * exponentially from the minimum interval to the maximum. Thread-safe.
 */
public final class JobPollSchedule {

    private final long minimumMillis;
    private final long maximumMillis;
    private long estimateMillis;

    public JobPollSchedule(final long minimumMillis, final long maximumMillis) {
        if (minimumMillis < 1 || maximumMillis < minimumMillis) {
            throw new IllegalArgumentException("Poll intervals need 0 < minimum <= maximum");
        }
        this.minimumMillis = minimumMillis;
        this.maximumMillis = maximumMillis;
        this.estimateMillis = minimumMillis;
    }

    /**
     * @param pollsSoFar polls already sent for the job (0 for the first poll)
     * @return the delay before the next poll
     */
    public synchronized long delayBeforePoll(final int pollsSoFar) {
        if (pollsSoFar == 0) {
            return estimateMillis;
        }
        final long backoff = minimumMillis << Math.min(pollsSoFar - 1, 20);
        return Math.min(maximumMillis, Math.max(minimumMillis, backoff));
    }

    /**
     * Learns from a finished job.
     *
     * @param polls          how many polls it took
     * @param elapsedMillis  time from the job's submission to the poll that found it finished
     */
    public synchronized void jobFinished(final int polls, final long elapsedMillis) {
        if (polls <= 1) {
            estimateMillis = Math.max(minimumMillis, estimateMillis * 97 / 100);
        } else {
            estimateMillis = Math.min(maximumMillis, Math.max(minimumMillis, elapsedMillis));
        }
    }

    public synchronized long firstPollDelayMillis() {
        return estimateMillis;
    }
}
