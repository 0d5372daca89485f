package dev.nifireverseetl.state;

import java.util.Collection;
import java.util.Map;

/**
 * The sync state (independent of NiFi, so benchmarks and tools can use a store directly): for each (sync id, row key) the version of the row that the destination last <em>accepted</em>,
 * its per-field hashes, the destination record id once known, and the last outcome.
 * <p>
 * Contract (see DESIGN.md, "The sync state model"):
 * <ul>
 *     <li>State advances only to the exact version the destination accepted: {@link #recordAccepted} takes the
 *     version hash that travelled with the record that was sent, never a recomputed one.</li>
 *     <li>{@link #recordFailed} never changes the accepted version.</li>
 *     <li>Every method is batched: callers pass whole batches, implementations avoid per-key round trips.</li>
 *     <li>Implementations are safe for concurrent use by several processors (and, for shared stores, nodes).</li>
 * </ul>
 * Keys are canonical key strings as produced by {@link RowKey#canonical()}.
 */
public interface SyncStateStore {

    /**
     * Starts a diff run over one model snapshot of a sync. DiffRecords looks keys up through the run, which also
     * remembers which keys the snapshot contained, so that removals can be listed once the snapshot is complete.
     *
     * @throws SyncStateException when the store cannot be read, or another run of the same sync is still open
     */
    SyncRun beginRun(String syncId) throws SyncStateException;

    /**
     * Returns the state of each key that has any (keys without state are absent from the map).
     */
    Map<String, KeyState> getStates(String syncId, Collection<String> keys) throws SyncStateException;

    /**
     * Records that the destination accepted exactly these row versions. An acceptance also stores the destination
     * record id when one is given and clears any failure of that key.
     */
    void recordAccepted(String syncId, Collection<Acceptance> acceptances) throws SyncStateException;

    /**
     * Records failures. The accepted version of each key is left as it was, so the row is sent again on a later run
     * while it still differs from what was accepted.
     */
    void recordFailed(String syncId, Collection<Failure> failures) throws SyncStateException;

    /**
     * Records that the destination accepted the removal (archive, delete) of these keys: their state is dropped.
     */
    void recordRemoved(String syncId, Collection<String> keys) throws SyncStateException;

    /**
     * The destination record id cache (filled by lookups and by write results); keys without a known id are absent.
     */
    Map<String, String> getDestinationIds(String syncId, Collection<String> keys) throws SyncStateException;

    /**
     * Adds or replaces destination record ids, without touching accepted versions.
     */
    void putDestinationIds(String syncId, Map<String, String> destinationIdsByKey) throws SyncStateException;

    /**
     * Drops destination record ids that proved stale (for example a 404 on write), so they are looked up again.
     */
    void forgetDestinationIds(String syncId, Collection<String> keys) throws SyncStateException;

    /**
     * Counts for one sync: keys held, keys accepted, keys whose last outcome is a failure, and the last run's figures.
     */
    SyncStatistics getStatistics(String syncId) throws SyncStateException;
}
