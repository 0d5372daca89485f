package dev.nifireverseetl.state;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One diff run of a sync over one model snapshot. Not thread-safe: one DiffRecords task drives it.
 * <p>
 * Life cycle: {@link #lookupAndMarkSeen} for each batch of snapshot keys, {@link #recordProposed} for the versions
 * the run emits, then either {@link #forEachUnseenAccepted} (the snapshot was complete: the keys it lacked are removals)
 * followed by {@link #complete}, or {@link #abort} (nothing of the run is kept but its proposals).
 */
public interface SyncRun extends AutoCloseable {

    /**
     * @return the run id, unique within its sync
     */
    String runId();

    /**
     * Looks up the state of a batch of snapshot keys and remembers that the snapshot contains them.
     *
     * @return the state of each key that has one; new keys are absent
     */
    default Map<String, KeyState> lookupAndMarkSeen(Collection<String> keys) throws SyncStateException {
        return markSeen(keys).states();
    }

    /**
     * Looks up the state of a batch of snapshot keys, remembers that the snapshot contains them, and tells which of
     * them this run had already seen (in an earlier batch, or earlier in this batch): duplicates within the snapshot.
     */
    default SeenKeys markSeen(Collection<String> keys) throws SyncStateException {
        return markSeen(keys, Map.of());
    }

    /**
     * Like {@link #markSeen(Collection)}, with the versions the caller is about to compare: for a key whose accepted
     * version equals {@code currentVersions.get(key)} the returned state may leave out the accepted field hashes
     * (an unchanged row does not need them), which saves decoding them for most rows of a run.
     */
    SeenKeys markSeen(Collection<String> keys, Map<String, String> currentVersions) throws SyncStateException;

    /**
     * Records the versions this run proposes to send (key to version hash); they are not accepted by this.
     */
    void recordProposed(Map<String, String> versionsByKey) throws SyncStateException;

    /**
     * The number of keys with state that this run has not seen: the removals if the snapshot is complete.
     * Keys that never had an accepted version are not counted (they have nothing to remove at the destination).
     */
    long countUnseenAccepted() throws SyncStateException;

    /**
     * Streams the states of keys that were accepted once and that this run has not seen, in key order, without
     * holding them all in memory.
     */
    void forEachUnseenAccepted(Consumer<KeyState> consumer) throws SyncStateException;

    /**
     * Ends the run: drops the state of keys that were never accepted and are not in the snapshot (a failed row
     * that left the model), stores the run statistics, and frees what the run held.
     */
    void complete(SyncRunStatistics statistics) throws SyncStateException;

    /**
     * Ends the run without removals or clean-up (for example when the delete-safety guard stopped it).
     */
    void abort() throws SyncStateException;

    /**
     * Aborts the run unless it was completed.
     */
    @Override
    void close() throws SyncStateException;
}
