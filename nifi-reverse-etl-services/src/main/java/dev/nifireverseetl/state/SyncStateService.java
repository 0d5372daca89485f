package dev.nifireverseetl.state;

import org.apache.nifi.controller.ControllerService;

/**
 * The sync state as a NiFi controller service, used by DiffRecords, ResolveExternalIds and the Put processors. Every
 * method is declared by {@link SyncStateStore}; see there for the contract. Implementations:
 * EmbeddedSyncStateService (one store per node, the default) and JdbcSyncStateService (one shared database for a
 * NiFi cluster).
 */
public interface SyncStateService extends ControllerService, SyncStateStore {
}
