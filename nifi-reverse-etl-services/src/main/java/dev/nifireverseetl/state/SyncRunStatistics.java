package dev.nifireverseetl.state;

/**
 * The figures of one diff run, as DiffRecords counted them.
 */
public record SyncRunStatistics(String runId, long added, long changed, long removed, long unchanged, long invalid,
                                long startedAtMillis, long finishedAtMillis) {
}
