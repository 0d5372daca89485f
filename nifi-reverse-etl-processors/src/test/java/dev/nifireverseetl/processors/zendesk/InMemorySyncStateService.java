package dev.nifireverseetl.processors.zendesk;

import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.Failure;
import dev.nifireverseetl.state.KeyState;
import dev.nifireverseetl.state.SyncRun;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.SyncStatistics;
import org.apache.nifi.controller.AbstractControllerService;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only SyncStateService holding the state of the Put side in memory (the embedded service lives on another
 * branch). Diff runs are not supported: tests seed proposed versions with {@link #propose}.
 */
public class InMemorySyncStateService extends AbstractControllerService implements SyncStateService {

    private final Map<String, KeyState> states = new ConcurrentHashMap<>();

    public void propose(final String syncId, final String key, final String version) {
        states.compute(syncId + "\u0000" + key, (ignored, state) -> state == null
                ? new KeyState(key, null, Map.of(), null, KeyState.Outcome.PROPOSED, null, version, "run")
                : new KeyState(key, state.acceptedVersion(), state.acceptedFieldHashes(), state.destinationId(), state.lastOutcome(), state.lastError(), version, "run"));
    }

    public KeyState state(final String syncId, final String key) {
        return states.get(syncId + "\u0000" + key);
    }

    @Override
    public SyncRun beginRun(final String syncId) throws SyncStateException {
        throw new SyncStateException("Diff runs are not part of this test double");
    }

    @Override
    public Map<String, KeyState> getStates(final String syncId, final Collection<String> keys) {
        final Map<String, KeyState> found = new HashMap<>();
        for (final String key : keys) {
            final KeyState state = states.get(syncId + "\u0000" + key);
            if (state != null) {
                found.put(key, state);
            }
        }
        return found;
    }

    @Override
    public void recordAccepted(final String syncId, final Collection<Acceptance> acceptances) {
        for (final Acceptance acceptance : acceptances) {
            states.compute(syncId + "\u0000" + acceptance.key(), (ignored, state) -> new KeyState(acceptance.key(), acceptance.version(), acceptance.fieldHashes(),
                    acceptance.destinationId() != null ? acceptance.destinationId() : state == null ? null : state.destinationId(), KeyState.Outcome.ACCEPTED, null,
                    state == null ? null : state.proposedVersion(), state == null ? null : state.proposedRun()));
        }
    }

    @Override
    public void recordFailed(final String syncId, final Collection<Failure> failures) {
        for (final Failure failure : failures) {
            states.compute(syncId + "\u0000" + failure.key(), (ignored, state) -> state == null
                    ? new KeyState(failure.key(), null, Map.of(), null, KeyState.Outcome.FAILED, failure.reason(), null, null)
                    : new KeyState(failure.key(), state.acceptedVersion(), state.acceptedFieldHashes(), state.destinationId(), KeyState.Outcome.FAILED,
                    failure.reason(), state.proposedVersion(), state.proposedRun()));
        }
    }

    @Override
    public void recordRemoved(final String syncId, final Collection<String> keys) {
        for (final String key : keys) {
            states.remove(syncId + "\u0000" + key);
        }
    }

    @Override
    public Map<String, String> getDestinationIds(final String syncId, final Collection<String> keys) {
        final Map<String, String> ids = new HashMap<>();
        getStates(syncId, keys).forEach((key, state) -> {
            if (state.destinationId() != null) {
                ids.put(key, state.destinationId());
            }
        });
        return ids;
    }

    @Override
    public void putDestinationIds(final String syncId, final Map<String, String> destinationIdsByKey) {
        destinationIdsByKey.forEach((key, id) -> states.compute(syncId + "\u0000" + key, (ignored, state) -> state == null
                ? new KeyState(key, null, Map.of(), id, KeyState.Outcome.PROPOSED, null, null, null)
                : new KeyState(key, state.acceptedVersion(), state.acceptedFieldHashes(), id, state.lastOutcome(), state.lastError(), state.proposedVersion(),
                state.proposedRun())));
    }

    @Override
    public void forgetDestinationIds(final String syncId, final Collection<String> keys) {
        for (final String key : keys) {
            states.computeIfPresent(syncId + "\u0000" + key, (ignored, state) -> new KeyState(key, state.acceptedVersion(), state.acceptedFieldHashes(), null,
                    state.lastOutcome(), state.lastError(), state.proposedVersion(), state.proposedRun()));
        }
    }

    @Override
    public SyncStatistics getStatistics(final String syncId) {
        long accepted = 0;
        long failed = 0;
        long keys = 0;
        for (final Map.Entry<String, KeyState> entry : states.entrySet()) {
            if (entry.getKey().startsWith(syncId + "\u0000")) {
                keys++;
                accepted += entry.getValue().isAccepted() ? 1 : 0;
                failed += entry.getValue().lastOutcome() == KeyState.Outcome.FAILED ? 1 : 0;
            }
        }
        return new SyncStatistics(syncId, keys, accepted, failed, null);
    }
}
