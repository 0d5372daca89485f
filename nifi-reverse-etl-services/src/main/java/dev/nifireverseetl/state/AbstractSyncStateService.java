package dev.nifireverseetl.state;

import org.apache.nifi.controller.AbstractControllerService;

import java.util.Collection;
import java.util.Map;

/**
 * The controller-service shell shared by the implementations: every call goes to the store opened when the service
 * was enabled.
 */
public abstract class AbstractSyncStateService extends AbstractControllerService implements SyncStateService {

    /**
     * @return the open store
     * @throws SyncStateException when the service is not enabled
     */
    protected abstract SyncStateStore store();

    @Override
    public SyncRun beginRun(final String syncId) {
        return store().beginRun(syncId);
    }

    @Override
    public Map<String, KeyState> getStates(final String syncId, final Collection<String> keys) {
        return store().getStates(syncId, keys);
    }

    @Override
    public void recordAccepted(final String syncId, final Collection<Acceptance> acceptances) {
        store().recordAccepted(syncId, acceptances);
    }

    @Override
    public void recordFailed(final String syncId, final Collection<Failure> failures) {
        store().recordFailed(syncId, failures);
    }

    @Override
    public void recordRemoved(final String syncId, final Collection<String> keys) {
        store().recordRemoved(syncId, keys);
    }

    @Override
    public Map<String, String> getDestinationIds(final String syncId, final Collection<String> keys) {
        return store().getDestinationIds(syncId, keys);
    }

    @Override
    public void putDestinationIds(final String syncId, final Map<String, String> destinationIdsByKey) {
        store().putDestinationIds(syncId, destinationIdsByKey);
    }

    @Override
    public void forgetDestinationIds(final String syncId, final Collection<String> keys) {
        store().forgetDestinationIds(syncId, keys);
    }

    @Override
    public SyncStatistics getStatistics(final String syncId) {
        return store().getStatistics(syncId);
    }
}
