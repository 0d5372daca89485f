package dev.nifireverseetl.processors.zendesk;

/**
 * What the Zendesk adapter needs to know besides the batch.
 *
 * @param objectType      users or organizations
 * @param matchField      for users: the identity the record key travels in (organizations always use external_id)
 * @param removalAction   for users: suspend or delete removed rows
 * @param pollSchedule    when to poll jobs (shared by all batches of the processor)
 * @param jobTimeoutMillis how long a job may stay queued or working before its records are retried
 * @param jobBoard        the jobs being polled and what the latest polls saw (shared by all batches of the processor)
 */
public record ZendeskSettings(ZendeskObjectType objectType, UserMatchField matchField, UserRemovalAction removalAction, JobPollSchedule pollSchedule,
                              long jobTimeoutMillis, ZendeskJobBoard jobBoard) {

    public ZendeskSettings {
        if (objectType == null || matchField == null || removalAction == null || pollSchedule == null || jobTimeoutMillis <= 0 || jobBoard == null) {
            throw new IllegalArgumentException("Every Zendesk setting is required");
        }
    }

    /**
     * Settings with a job board of their own.
     */
    public ZendeskSettings(final ZendeskObjectType objectType, final UserMatchField matchField, final UserRemovalAction removalAction,
                           final JobPollSchedule pollSchedule, final long jobTimeoutMillis) {
        this(objectType, matchField, removalAction, pollSchedule, jobTimeoutMillis, new ZendeskJobBoard());
    }

    boolean users() {
        return objectType == ZendeskObjectType.USERS;
    }
}
