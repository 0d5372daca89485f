package dev.nifireverseetl.state;

/**
 * Counts for one sync.
 *
 * @param syncId        the sync
 * @param keys          keys held in the state
 * @param accepted      keys with an accepted version
 * @param failed        keys whose last outcome is a failure
 * @param lastRun       the figures of the last completed run, or null when no run completed yet
 */
public record SyncStatistics(String syncId, long keys, long accepted, long failed, SyncRunStatistics lastRun) {
}
