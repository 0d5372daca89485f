package dev.nifireverseetl.demo;

import dev.nifireverseetl.state.AbstractSyncStateService;
import dev.nifireverseetl.state.SyncStateStore;

/**
 * The one enabled sync state service, as seen by a second TestRunner. In NiFi every processor that references a
 * controller service gets the same enabled instance; nifi-mock gives each TestRunner its own services, so the demo
 * enables the embedded state service once (on the DiffRecords runner) and hands this view of it to the others.
 */
final class SharedSyncStateService extends AbstractSyncStateService {

    private final SyncStateStore enabledService;

    SharedSyncStateService(final SyncStateStore enabledService) {
        this.enabledService = enabledService;
    }

    @Override
    protected SyncStateStore store() {
        return enabledService;
    }
}
