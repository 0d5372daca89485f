package dev.nifireverseetl.reliability;

import dev.nifireverseetl.state.AbstractSyncStateService;
import dev.nifireverseetl.state.Acceptance;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateStore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The controller service a scenario's DiffRecords and Put runners use: a decorator over the real service the
 * {@link StateHost} currently has enabled (so both runners share one store, across restarts), which can crash a
 * {@code recordAccepted} call as armed in {@link StateFaults}.
 */
final class FaultingSyncStateService extends AbstractSyncStateService {

    private final StateHost host;

    FaultingSyncStateService(final StateHost host) {
        this.host = host;
    }

    @Override
    protected SyncStateStore store() {
        return host.current();
    }

    @Override
    public void recordAccepted(final String syncId, final Collection<Acceptance> acceptances) {
        final StateFaults.Crash crash = host.faults().onRecordAccepted();
        if (crash == null) {
            super.recordAccepted(syncId, acceptances);
            return;
        }
        if (crash == StateFaults.Crash.BEFORE_RECORDING) {
            throw new SyncStateException("Simulated crash: the destination accepted the batch, the state recorded nothing of it");
        }
        if (host.kind() == StateHost.Kind.EMBEDDED) {
            final List<Acceptance> all = new ArrayList<>(acceptances);
            super.recordAccepted(syncId, all.subList(0, all.size() / 2));
            host.powerFailure();
            throw new SyncStateException("Simulated power failure while committing the state (half of the acceptances were committed)");
        }
        host.connections().killNextCommitOnThisThread();
        try {
            super.recordAccepted(syncId, acceptances);
        } finally {
            host.connections().disarm();
        }
        throw new IllegalStateException("The database connection was killed inside the commit, yet recordAccepted did not fail");
    }
}
