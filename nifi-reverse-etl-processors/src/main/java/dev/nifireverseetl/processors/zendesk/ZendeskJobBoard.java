package dev.nifireverseetl.processors.zendesk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs of one processor that are still being polled, and the latest status each was seen in. One poll
 * ({@code GET /api/v2/job_statuses/show_many?ids=…}) asks for every tracked job at once, so a batch whose job another
 * batch's poll already saw finish completes without a request of its own: fewer requests against the per-minute limit.
 * Thread-safe.
 */
final class ZendeskJobBoard {

    /** Zendesk's show_many takes at most 100 ids. */
    static final int MAX_IDS_PER_POLL = 100;

    private final Map<String, ZendeskJobStatus> finished = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tracked = new ConcurrentHashMap<>();

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
            if (!jobId.equals(ownJobId) && !finished.containsKey(jobId)) {
                ids.add(jobId);
            }
        }
        return ids;
    }

    /**
     * Keeps what a poll saw of tracked jobs that ended (completed, failed or killed), for their owners.
     */
    void saw(final List<ZendeskJobStatus> statuses) {
        for (final ZendeskJobStatus status : statuses) {
            if (!status.running() && tracked.containsKey(status.id())) {
                finished.put(status.id(), status);
            }
        }
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
    }

    int trackedJobs() {
        return tracked.size();
    }
}
