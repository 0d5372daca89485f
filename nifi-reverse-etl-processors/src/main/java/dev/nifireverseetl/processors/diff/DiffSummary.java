package dev.nifireverseetl.processors.diff;

/**
 * The outcome of a diff run: its figures, and, when the run was stopped, why (nothing it wrote may be kept then).
 *
 * @param runId           the state run id
 * @param added           records routed as added
 * @param changed         records routed as changed
 * @param removed         removal records
 * @param unchanged       records routed as unchanged
 * @param invalid         invalid input records (null or duplicate keys)
 * @param stopReason      null for a completed run; else the code of the reason (see {@link StopReason})
 * @param stopMessage     a human-readable explanation of the stop, no row values
 */
public record DiffSummary(String runId, long added, long changed, long removed, long unchanged, long invalid,
                          StopReason stopReason, String stopMessage) {

    public boolean stopped() {
        return stopReason != null;
    }

    /**
     * @return every record the input held, plus the removals
     */
    public long total() {
        return added + changed + removed + unchanged + invalid;
    }

    /**
     * Why a run stopped without emitting anything.
     */
    public enum StopReason {
        /** The snapshot held no valid row but the state has accepted keys: removals of everything are refused. */
        EMPTY_SNAPSHOT,
        /** More removals than the configured share or count. */
        REMOVAL_LIMIT
    }
}
