package dev.nifireverseetl.state.embedded;

import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.Failure;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateStore;
import dev.nifireverseetl.state.SyncStatistics;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded sync state: one H2 MVStore file per node ({@value #FILE_NAME} in the state directory), pure Java, on
 * disk with a bounded page cache. Per sync it holds a map of canonical key to the compact key state
 * ({@link KeyStateCodec}), a field name dictionary, the run counter and the last run's figures. The keys a run has
 * seen live in a per-run map in the same file, so a snapshot of any size needs no heap.
 * <p>
 * Concurrency: writes of one sync are serialised by a per-sync lock (a read-modify-write of a key never interleaves
 * with another); reads are lock-free (MVStore maps are safe for concurrent use). At most one run per sync is open; a
 * second {@link #beginRun} is refused unless the open run was idle longer than the abandoned-run timeout, in which case
 * the old run is expired (its later calls fail) and the new one starts.
 */
public final class MvStoreSyncStateStore implements SyncStateStore, AutoCloseable {

    public static final String FILE_NAME = "sync-state.mv.db";

    /** Unsaved changes kept in memory before the background writer saves them: fewer, larger writes of the state pages. */
    private static final int AUTO_COMMIT_BUFFER_KILOBYTES = 32 * 1024;
    private static final byte[] PRESENT = new byte[0];
    private static final String STATE_PREFIX = "state:";
    private static final String FIELDS_PREFIX = "fields:";
    private static final String SEEN_PREFIX = "seen:";
    private static final String UNSEEN_PREFIX = "unseen:";
    private static final String DROP_PREFIX = "drop:";

    private final MVStore store;
    private final Duration abandonedRunTimeout;
    private final Clock clock;
    private final MVMap<String, Long> runCounters;
    private final MVMap<String, String> lastRuns;
    private final Map<String, Object> syncLocks = new ConcurrentHashMap<>();
    private final Map<String, FieldNameDictionary> dictionaries = new ConcurrentHashMap<>();
    private final Map<String, MvStoreSyncRun> openRuns = new ConcurrentHashMap<>();

    /**
     * Opens (or creates) the store in a directory.
     *
     * @param directory            the state directory, created when missing
     * @param cacheSizeMegabytes   the page cache size: the heap the store uses beyond the open maps' roots
     * @param abandonedRunTimeout  an open run idle this long may be expired by a new run of the same sync
     */
    public MvStoreSyncStateStore(final Path directory, final int cacheSizeMegabytes, final Duration abandonedRunTimeout, final Clock clock) {
        this.abandonedRunTimeout = abandonedRunTimeout;
        this.clock = clock;
        try {
            Files.createDirectories(directory);
            this.store = new MVStore.Builder()
                    .fileName(directory.resolve(FILE_NAME).toString())
                    .cacheSize(cacheSizeMegabytes)
                    .autoCommitBufferSize(AUTO_COMMIT_BUFFER_KILOBYTES)
                    .open();
        } catch (final IOException | MVStoreException e) {
            throw new SyncStateException("Cannot open the state store in " + directory + ": " + e.getMessage(), e);
        }
        this.runCounters = store.openMap("runCounters", new MVMap.Builder<String, Long>().keyType(StringDataType.INSTANCE).valueType(LongDataType.INSTANCE));
        this.lastRuns = store.openMap("lastRuns", new MVMap.Builder<String, String>().keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
        dropLeftoverRunMaps();
    }

    /**
     * Runs live in this process only, so after a restart the maps of runs that were open when the process stopped are
     * garbage (their proposals stay, nothing of them was accepted).
     */
    private void dropLeftoverRunMaps() {
        for (final String name : new ArrayList<>(store.getMapNames())) {
            if (name.startsWith(SEEN_PREFIX) || name.startsWith(UNSEEN_PREFIX) || name.startsWith(DROP_PREFIX)) {
                store.removeMap(name);
            }
        }
        store.commit();
    }

    @Override
    public SyncRun beginRun(final String syncId) {
        requireSyncId(syncId);
        synchronized (lockOf(syncId)) {
            final MvStoreSyncRun open = openRuns.get(syncId);
            if (open != null) {
                final Duration idle = Duration.ofMillis(clock.millis() - open.lastActivityMillis());
                if (idle.compareTo(abandonedRunTimeout) < 0) {
                    throw new SyncStateException("Run " + open.runId() + " of sync " + syncId + " is still open (idle for "
                            + idle.toSeconds() + " s; it expires after " + abandonedRunTimeout.toSeconds() + " s without activity)");
                }
                open.expire();
            }
            final long runNumber = runCounters.getOrDefault(syncId, 0L) + 1;
            runCounters.put(syncId, runNumber);
            final MvStoreSyncRun run = new MvStoreSyncRun(this, syncId, Long.toString(runNumber));
            openRuns.put(syncId, run);
            return run;
        }
    }

    @Override
    public Map<String, KeyState> getStates(final String syncId, final Collection<String> keys) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        final FieldNameDictionary dictionary = dictionary(syncId);
        final Map<String, KeyState> found = new HashMap<>();
        for (final String key : keys) {
            final byte[] bytes = states.get(key);
            if (bytes != null) {
                found.put(key, KeyStateCodec.decode(key, bytes, dictionary));
            }
        }
        return found;
    }

    @Override
    public void recordAccepted(final String syncId, final Collection<Acceptance> acceptances) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        final FieldNameDictionary dictionary = dictionary(syncId);
        synchronized (lockOf(syncId)) {
            for (final Acceptance acceptance : acceptances) {
                final KeyState old = read(states, dictionary, acceptance.key());
                final String destinationId = acceptance.destinationId() != null ? acceptance.destinationId() : old == null ? null : old.destinationId();
                final KeyState accepted = new KeyState(acceptance.key(), acceptance.version(), acceptance.fieldHashes(), destinationId,
                        KeyState.Outcome.ACCEPTED, null, old == null ? null : old.proposedVersion(), old == null ? null : old.proposedRun());
                states.put(acceptance.key(), KeyStateCodec.encode(accepted, dictionary));
            }
        }
        commit();
    }

    @Override
    public void recordFailed(final String syncId, final Collection<Failure> failures) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        final FieldNameDictionary dictionary = dictionary(syncId);
        synchronized (lockOf(syncId)) {
            for (final Failure failure : failures) {
                final KeyState old = read(states, dictionary, failure.key());
                final KeyState failed = old == null
                        ? new KeyState(failure.key(), null, Map.of(), null, KeyState.Outcome.FAILED, failure.reason(), null, null)
                        : new KeyState(failure.key(), old.acceptedVersion(), old.acceptedFieldHashes(), old.destinationId(),
                        KeyState.Outcome.FAILED, failure.reason(), old.proposedVersion(), old.proposedRun());
                states.put(failure.key(), KeyStateCodec.encode(failed, dictionary));
            }
        }
        commit();
    }

    @Override
    public void recordRemoved(final String syncId, final Collection<String> keys) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        synchronized (lockOf(syncId)) {
            for (final String key : keys) {
                states.remove(key);
            }
        }
        commit();
    }

    @Override
    public Map<String, String> getDestinationIds(final String syncId, final Collection<String> keys) {
        final Map<String, String> ids = new HashMap<>();
        for (final KeyState state : getStates(syncId, keys).values()) {
            if (state.destinationId() != null) {
                ids.put(state.key(), state.destinationId());
            }
        }
        return ids;
    }

    @Override
    public void putDestinationIds(final String syncId, final Map<String, String> destinationIdsByKey) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        final FieldNameDictionary dictionary = dictionary(syncId);
        synchronized (lockOf(syncId)) {
            for (final Map.Entry<String, String> entry : destinationIdsByKey.entrySet()) {
                final KeyState old = read(states, dictionary, entry.getKey());
                final KeyState updated = old == null
                        ? new KeyState(entry.getKey(), null, Map.of(), entry.getValue(), null, null, null, null)
                        : new KeyState(entry.getKey(), old.acceptedVersion(), old.acceptedFieldHashes(), entry.getValue(),
                        old.lastOutcome(), old.lastError(), old.proposedVersion(), old.proposedRun());
                states.put(entry.getKey(), KeyStateCodec.encode(updated, dictionary));
            }
        }
        commit();
    }

    @Override
    public void forgetDestinationIds(final String syncId, final Collection<String> keys) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        final FieldNameDictionary dictionary = dictionary(syncId);
        synchronized (lockOf(syncId)) {
            for (final String key : keys) {
                final KeyState old = read(states, dictionary, key);
                if (old != null && old.destinationId() != null) {
                    final KeyState updated = new KeyState(key, old.acceptedVersion(), old.acceptedFieldHashes(), null,
                            old.lastOutcome(), old.lastError(), old.proposedVersion(), old.proposedRun());
                    states.put(key, KeyStateCodec.encode(updated, dictionary));
                }
            }
        }
        commit();
    }

    @Override
    public SyncStatistics getStatistics(final String syncId) {
        requireSyncId(syncId);
        final MVMap<String, byte[]> states = stateMap(syncId);
        final FieldNameDictionary dictionary = dictionary(syncId);
        long keys = 0;
        long accepted = 0;
        long failed = 0;
        final Cursor<String, byte[]> cursor = states.cursor(null);
        while (cursor.hasNext()) {
            final String key = cursor.next();
            final byte[] bytes = cursor.getValue();
            keys++;
            if (KeyStateCodec.isAccepted(bytes)) {
                accepted++;
            }
            if (KeyStateCodec.decode(key, bytes, dictionary).lastOutcome() == KeyState.Outcome.FAILED) {
                failed++;
            }
        }
        final String lastRun = lastRuns.get(syncId);
        return new SyncStatistics(syncId, keys, accepted, failed, lastRun == null ? null : RunStatisticsText.parse(lastRun));
    }

    /**
     * @return the names of the syncs this store holds state for
     */
    public List<String> syncIds() {
        final List<String> syncIds = new ArrayList<>();
        for (final String name : store.getMapNames()) {
            if (name.startsWith(STATE_PREFIX)) {
                syncIds.add(name.substring(STATE_PREFIX.length()));
            }
        }
        return syncIds;
    }

    @Override
    public void close() {
        for (final MvStoreSyncRun run : new ArrayList<>(openRuns.values())) {
            run.expire();
        }
        try {
            store.close();
        } catch (final MVStoreException e) {
            throw new SyncStateException("Cannot close the state store: " + e.getMessage(), e);
        }
    }

    // ---- used by MvStoreSyncRun

    MVMap<String, byte[]> stateMap(final String syncId) {
        return store.openMap(STATE_PREFIX + syncId, byteMap());
    }

    MVMap<String, byte[]> runMap(final String prefix, final String syncId, final String runId) {
        return store.openMap(prefix + syncId + ":" + runId, byteMap());
    }

    void dropRunMaps(final String syncId, final String runId) {
        for (final String prefix : List.of(SEEN_PREFIX, UNSEEN_PREFIX, DROP_PREFIX)) {
            final String name = prefix + syncId + ":" + runId;
            if (store.hasMap(name)) {
                store.removeMap(name);
            }
        }
    }

    static String seenPrefix() {
        return SEEN_PREFIX;
    }

    static String unseenPrefix() {
        return UNSEEN_PREFIX;
    }

    static String dropPrefix() {
        return DROP_PREFIX;
    }

    static byte[] present() {
        return PRESENT;
    }

    FieldNameDictionary dictionary(final String syncId) {
        return dictionaries.computeIfAbsent(syncId, id -> new FieldNameDictionary(store.openMap(FIELDS_PREFIX + id,
                new MVMap.Builder<String, Integer>().keyType(StringDataType.INSTANCE))));
    }

    Object lockOf(final String syncId) {
        return syncLocks.computeIfAbsent(syncId, id -> new Object());
    }

    KeyState read(final MVMap<String, byte[]> states, final FieldNameDictionary dictionary, final String key) {
        final byte[] bytes = states.get(key);
        return bytes == null ? null : KeyStateCodec.decode(key, bytes, dictionary);
    }

    void saveLastRun(final String syncId, final SyncRunStatistics statistics) {
        lastRuns.put(syncId, RunStatisticsText.format(statistics));
    }

    void runEnded(final String syncId, final MvStoreSyncRun run) {
        openRuns.remove(syncId, run);
    }

    long nowMillis() {
        return clock.millis();
    }

    void commit() {
        try {
            store.commit();
        } catch (final MVStoreException e) {
            throw new SyncStateException("Cannot write the state store: " + e.getMessage(), e);
        }
    }

    private static MVMap.Builder<String, byte[]> byteMap() {
        return new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);
    }

    private static void requireSyncId(final String syncId) {
        if (syncId == null || syncId.isBlank()) {
            throw new SyncStateException("A Sync ID is required");
        }
    }
}
