package dev.nifireverseetl.processors.zendesk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of one processor that are still being polled, and what the latest polls saw of them. One poll
 * ({@code GET /api/v2/job_statuses/show_many?ids=…}) asks for every tracked job at once, and polls are spaced by a
 * minimum interval whichever batch sends them: a batch whose job another batch's poll saw end completes without a
 * request of its own, and a batch that finds a poll was sent a moment ago waits for the next one instead of sending
 * its own. However many batches are in flight, job tracking costs at most one request per interval. Thread-safe.
 */
final class ZendeskJobBoard {

    /** Zendesk's show_many takes at most 100 ids. */
    static final int MAX_IDS_PER_POLL = 100;
    /** The default spacing of polls. */
    static final long DEFAULT_POLL_INTERVAL_MILLIS = 1_000;

    private final Map<String, ZendeskJobStatus> finished = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tracked = new ConcurrentHashMap<>();
    private final Map<String, Boolean> missing = new ConcurrentHashMap<>();
    private final long pollIntervalMillis;
    private long lastPollAt;
    private boolean polled;

    ZendeskJobBoard(final long pollIntervalMillis) {
        if (pollIntervalMillis < 1) {
            throw new IllegalArgumentException("The poll interval must be positive");
        }
        this.pollIntervalMillis = pollIntervalMillis;
    }

    ZendeskJobBoard() {
        this(DEFAULT_POLL_INTERVAL_MILLIS);
    }

    /**
     * Claims the next poll for the caller.
     *
     * @return 0 when the caller sends the poll now; otherwise the milliseconds until the next poll may be sent (another
     * batch sent one a moment ago, covering the caller's job)
     */
    synchronized long claimPoll(final long now) {
        if (polled && now < lastPollAt + pollIntervalMillis) {
            return lastPollAt + pollIntervalMillis - now;
        }
        polled = true;
        lastPollAt = now;
        return 0;
    }

    /**
     * Starts tracking a submitted job (its owner will poll it or take its status from another poll).
     */
    void track(final String jobId) {
        tracked.put(jobId, Boolean.TRUE);
    }

    /**
     * @return the ids to ask for in one poll: the owner's job first, then other tracked jobs not yet seen finished
     */
    List<String> idsToPoll(final String ownJobId) {
        final List<String> ids = new ArrayList<>();
        ids.add(ownJobId);
        for (final String jobId : tracked.keySet()) {
            if (ids.size() >= MAX_IDS_PER_POLL) {
                break;
            }
            if (!jobId.equals(ownJobId) && !finished.containsKey(jobId) && !missing.containsKey(jobId)) {
                ids.add(jobId);
            }
        }
        return ids;
    }

    /**
     * Keeps what a poll saw of tracked jobs that ended (completed, failed or killed), for their owners.
     */
    void saw(final List<String> askedIds, final List<ZendeskJobStatus> statuses) {
        final Map<String, Boolean> answered = new ConcurrentHashMap<>();
        for (final ZendeskJobStatus status : statuses) {
            answered.put(status.id(), Boolean.TRUE);
            if (!status.running() && tracked.containsKey(status.id())) {
                finished.put(status.id(), status);
            }
        }
        for (final String asked : askedIds) {
            if (!answered.containsKey(asked) && tracked.containsKey(asked)) {
                missing.put(asked, Boolean.TRUE);
            }
        }
    }

    /**
     * @return true (and stops tracking the job) when a poll asked for this job and Zendesk no longer knew it
     */
    boolean takeMissing(final String jobId) {
        if (missing.remove(jobId) != null) {
            tracked.remove(jobId);
            return true;
        }
        return false;
    }

    /**
     * @return the ended status another poll saw for this job (and stops tracking it), or null when none did
     */
    ZendeskJobStatus takeFinished(final String jobId) {
        final ZendeskJobStatus status = finished.remove(jobId);
        if (status != null) {
            tracked.remove(jobId);
        }
        return status;
    }

    /**
     * Stops tracking a job (its owner learnt its end, or gave up on it).
     */
    void forget(final String jobId) {
        tracked.remove(jobId);
        finished.remove(jobId);
        missing.remove(jobId);
    }

    int trackedJobs() {
        return tracked.size();
    }
}
