package dev.nifireverseetl.state.embedded;

import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SeenKeys;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncRunStatistics;
import dev.nifireverseetl.state.SyncStateException;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One run over the embedded store. The seen keys go to a per-run map on disk; counting the removals is one merge of
 * the (sorted) state map with the (sorted) seen map, which also notes the keys to drop at completion.
 */
final class MvStoreSyncRun implements SyncRun {

    private enum Status { OPEN, COMPLETED, ABORTED, EXPIRED }

    private final MvStoreSyncStateStore owner;
    private final String syncId;
    private final String runId;
    private final MVMap<String, byte[]> states;
    private final FieldNameDictionary dictionary;
    private final MVMap<String, byte[]> seen;
    private volatile long lastActivityMillis;
    private volatile Status status = Status.OPEN;
    private long unseenAccepted = -1;

    MvStoreSyncRun(final MvStoreSyncStateStore owner, final String syncId, final String runId) {
        this.owner = owner;
        this.syncId = syncId;
        this.runId = runId;
        this.states = owner.stateMap(syncId);
        this.dictionary = owner.dictionary(syncId);
        this.seen = owner.runMap(MvStoreSyncStateStore.seenPrefix(), syncId, runId);
        this.seen.clear();
        this.lastActivityMillis = owner.nowMillis();
    }

    @Override
    public String runId() {
        return runId;
    }

    long lastActivityMillis() {
        return lastActivityMillis;
    }

    @Override
    public SeenKeys markSeen(final Collection<String> keys, final Map<String, String> currentVersions) {
        touch();
        final Map<String, KeyState> found = new HashMap<>();
        final Set<String> alreadySeen = new HashSet<>();
        for (final String key : keys) {
            if (seen.putIfAbsent(key, MvStoreSyncStateStore.present()) != null) {
                alreadySeen.add(key);
            }
            final byte[] bytes = states.get(key);
            if (bytes != null) {
                found.put(key, KeyStateCodec.decode(key, bytes, dictionary, currentVersions.get(key)));
            }
        }
        unseenAccepted = -1;
        return new SeenKeys(found, alreadySeen);
    }

    @Override
    public void recordProposed(final Map<String, String> versionsByKey) {
        touch();
        synchronized (owner.lockOf(syncId)) {
            for (final Map.Entry<String, String> entry : versionsByKey.entrySet()) {
                final KeyState old = owner.read(states, dictionary, entry.getKey());
                final KeyState proposed = old == null
                        ? new KeyState(entry.getKey(), null, Map.of(), null, KeyState.Outcome.PROPOSED, null, entry.getValue(), runId)
                        : new KeyState(entry.getKey(), old.acceptedVersion(), old.acceptedFieldHashes(), old.destinationId(),
                        KeyState.Outcome.PROPOSED, old.lastError(), entry.getValue(), runId);
                states.put(entry.getKey(), KeyStateCodec.encode(proposed, dictionary));
            }
        }
    }

    @Override
    public long countUnseenAccepted() {
        touch();
        if (unseenAccepted < 0) {
            unseenAccepted = mergeUnseen();
        }
        return unseenAccepted;
    }

    /**
     * Walks the state map and the seen map side by side (both sorted by key) and notes the unseen keys: accepted
     * ones (the removals) and never-accepted ones (dropped at completion).
     */
    private long mergeUnseen() {
        final MVMap<String, byte[]> unseen = owner.runMap(MvStoreSyncStateStore.unseenPrefix(), syncId, runId);
        final MVMap<String, byte[]> drop = owner.runMap(MvStoreSyncStateStore.dropPrefix(), syncId, runId);
        unseen.clear();
        drop.clear();
        long count = 0;
        final Cursor<String, byte[]> stateCursor = states.cursor(null);
        final Cursor<String, byte[]> seenCursor = seen.cursor(null);
        String seenKey = seenCursor.hasNext() ? seenCursor.next() : null;
        while (stateCursor.hasNext()) {
            final String key = stateCursor.next();
            while (seenKey != null && seenKey.compareTo(key) < 0) {
                seenKey = seenCursor.hasNext() ? seenCursor.next() : null;
            }
            if (seenKey != null && seenKey.equals(key)) {
                continue;
            }
            if (KeyStateCodec.isAccepted(stateCursor.getValue())) {
                unseen.put(key, MvStoreSyncStateStore.present());
                count++;
            } else {
                drop.put(key, MvStoreSyncStateStore.present());
            }
        }
        return count;
    }

    @Override
    public void forEachUnseenAccepted(final Consumer<KeyState> consumer) {
        countUnseenAccepted();
        final MVMap<String, byte[]> unseen = owner.runMap(MvStoreSyncStateStore.unseenPrefix(), syncId, runId);
        final Cursor<String, byte[]> cursor = unseen.cursor(null);
        while (cursor.hasNext()) {
            final String key = cursor.next();
            final KeyState state = owner.read(states, dictionary, key);
            if (state != null && state.isAccepted()) {
                consumer.accept(state);
            }
            touch();
        }
    }

    @Override
    public void complete(final SyncRunStatistics statistics) {
        countUnseenAccepted();
        final MVMap<String, byte[]> drop = owner.runMap(MvStoreSyncStateStore.dropPrefix(), syncId, runId);
        synchronized (owner.lockOf(syncId)) {
            requireOpen();
            final Cursor<String, byte[]> cursor = drop.cursor(null);
            while (cursor.hasNext()) {
                final String key = cursor.next();
                final byte[] current = states.get(key);
                if (current != null && !KeyStateCodec.isAccepted(current)) {
                    states.remove(key);
                }
            }
            owner.saveLastRun(syncId, statistics);
            end(Status.COMPLETED);
        }
        owner.commit();
    }

    @Override
    public void abort() {
        synchronized (owner.lockOf(syncId)) {
            if (status == Status.OPEN) {
                end(Status.ABORTED);
            }
        }
    }

    @Override
    public void close() {
        abort();
    }

    void expire() {
        synchronized (owner.lockOf(syncId)) {
            if (status == Status.OPEN) {
                end(Status.EXPIRED);
            }
        }
    }

    private void end(final Status ended) {
        status = ended;
        owner.dropRunMaps(syncId, runId);
        owner.runEnded(syncId, this);
    }

    private void touch() {
        requireOpen();
        lastActivityMillis = owner.nowMillis();
    }

    private void requireOpen() {
        final Status current = status;
        if (current != Status.OPEN) {
            throw new SyncStateException("Run " + runId + " of sync " + syncId + " is " + current.name().toLowerCase()
                    + (current == Status.EXPIRED ? ": it was idle too long and a newer run replaced it" : ""));
        }
    }
}
